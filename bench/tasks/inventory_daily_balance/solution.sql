-- Postgres spelling
WITH daily AS (
  SELECT sku, day::date AS day, SUM(delta)::int AS net_delta
  FROM movements
  GROUP BY sku, day::date
)
SELECT d.sku,
       to_char(d.day, 'YYYY-MM-DD') AS day,
       d.net_delta,
       i.stock + SUM(d.net_delta) OVER (PARTITION BY d.sku ORDER BY d.day
                                        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS balance
FROM daily AS d
JOIN items AS i USING (sku)
ORDER BY d.sku, d.day;
