-- Postgres spelling
WITH kept AS (
  SELECT customer_id, date_trunc('month', order_date::date) AS month
  FROM orders
  WHERE status <> 'cancelled'
),
firsts AS (
  SELECT customer_id, MIN(month) AS first_month
  FROM kept
  GROUP BY customer_id
),
flags AS (
  SELECT f.customer_id, f.first_month,
         EXISTS (SELECT 1 FROM kept k
                 WHERE k.customer_id = f.customer_id AND k.month > f.first_month) AS repeated
  FROM firsts f
)
SELECT to_char(first_month, 'YYYY-MM') AS cohort_month,
       COUNT(*) AS customers,
       COUNT(*) FILTER (WHERE repeated) AS repeat_customers,
       ROUND(100.0 * COUNT(*) FILTER (WHERE repeated) / COUNT(*), 1) AS repeat_pct
FROM flags
GROUP BY first_month
ORDER BY first_month;
