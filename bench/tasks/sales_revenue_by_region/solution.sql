SELECT region, ROUND(SUM(units * unit_price), 2) AS revenue
FROM sales
GROUP BY region
ORDER BY revenue DESC;
