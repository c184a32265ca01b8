-- MySQL spelling
SELECT IFNULL(country, 'unknown') AS country, COUNT(*) AS customers
FROM customers
GROUP BY IFNULL(country, 'unknown')
ORDER BY customers DESC, country ASC;
