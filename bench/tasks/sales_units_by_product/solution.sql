SELECT product, COUNT(*) AS orders, SUM(units) AS units
FROM sales
GROUP BY product
ORDER BY units DESC, product;
