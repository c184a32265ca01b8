WITH sold AS (
  SELECT p.category, p.sku, p.name, SUM(oi.qty) AS units
  FROM order_items oi
  JOIN orders o ON o.order_id = oi.order_id
  JOIN products p ON p.sku = oi.sku
  WHERE o.status <> 'cancelled'
  GROUP BY p.category, p.sku, p.name
),
ranked AS (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY category ORDER BY units DESC, sku) AS pos
  FROM sold
)
SELECT category, pos, sku, name, units
FROM ranked
WHERE pos <= 2
ORDER BY category, pos;
