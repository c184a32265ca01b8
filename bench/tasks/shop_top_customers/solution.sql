-- MySQL spelling
SELECT c.id AS customer_id,
       c.name,
       COUNT(DISTINCT o.order_id) AS orders,
       ROUND(SUM(oi.qty * oi.unit_price), 2) AS spend
FROM customers c
INNER JOIN orders o ON o.customer_id = c.id
INNER JOIN order_items oi ON oi.order_id = o.order_id
WHERE o.status IN ('delivered', 'shipped')
GROUP BY c.id, c.name
ORDER BY SUM(oi.qty * oi.unit_price) DESC, c.id
LIMIT 5;
