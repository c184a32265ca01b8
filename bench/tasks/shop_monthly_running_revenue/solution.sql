-- DuckDB spelling
WITH order_totals AS (
  SELECT o.order_id,
         strftime(date_trunc('month', CAST(o.order_date AS DATE)), '%Y-%m') AS month,
         sum(oi.qty * oi.unit_price) AS amount
  FROM orders o
  JOIN order_items oi USING (order_id)
  WHERE o.status != 'cancelled'
  GROUP BY ALL
),
monthly AS (
  SELECT month, count(*) AS orders, sum(amount) AS revenue
  FROM order_totals
  GROUP BY month
)
SELECT month,
       orders,
       round(revenue, 2) AS revenue,
       round(sum(revenue) OVER (ORDER BY month ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 2)
         AS running_revenue
FROM monthly
ORDER BY month;
