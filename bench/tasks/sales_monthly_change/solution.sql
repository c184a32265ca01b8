-- Postgres spelling
WITH monthly AS (
  SELECT to_char(date::date, 'YYYY-MM') AS month,
         SUM(units * unit_price) AS revenue
  FROM sales
  GROUP BY 1
)
SELECT month,
       ROUND(revenue::numeric, 2) AS revenue,
       ROUND(LAG(revenue) OVER (ORDER BY month)::numeric, 2) AS prev_revenue,
       ROUND((100 * (revenue - LAG(revenue) OVER (ORDER BY month))
              / LAG(revenue) OVER (ORDER BY month))::numeric, 1) AS change_pct
FROM monthly
ORDER BY month;
