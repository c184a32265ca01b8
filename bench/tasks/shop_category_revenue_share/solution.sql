-- Postgres spelling
WITH lines AS (
  SELECT p.category, oi.qty, oi.qty * oi.unit_price AS amount
  FROM order_items AS oi
  JOIN orders AS o ON o.order_id = oi.order_id
  JOIN products AS p ON p.sku = oi.sku
  WHERE o.status NOT IN ('cancelled', 'returned')
)
SELECT category,
       SUM(qty) AS units,
       ROUND(SUM(amount)::numeric, 2) AS revenue,
       ROUND((100.0 * SUM(amount) / SUM(SUM(amount)) OVER ())::numeric, 1) AS share_pct
FROM lines
GROUP BY category
ORDER BY SUM(amount) DESC, category;
