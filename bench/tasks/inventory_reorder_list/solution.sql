WITH current AS (
  SELECT i.sku, i.name, i.category, i.reorder_at,
         i.stock + COALESCE((SELECT SUM(m.delta) FROM movements m WHERE m.sku = i.sku), 0)
           AS current_stock
  FROM items i
)
SELECT sku, name, category, current_stock, reorder_at,
       2 * reorder_at - current_stock AS order_qty
FROM current
WHERE current_stock <= reorder_at
ORDER BY order_qty DESC, sku;
