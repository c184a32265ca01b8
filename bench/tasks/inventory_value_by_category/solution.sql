SELECT category,
       COUNT(*) AS items,
       SUM(stock) AS units,
       ROUND(SUM(stock * price), 2) AS stock_value
FROM items
GROUP BY category
ORDER BY stock_value DESC, category;
