WITH kept AS (
  SELECT id, json_extract(customer, '$.country') AS country, lines
  FROM orders
  WHERE status <> 'cancelled'
)
SELECT country,
       COUNT(DISTINCT kept.id) AS orders,
       SUM(json_extract(l.value, '$.qty')) AS units,
       ROUND(SUM(json_extract(l.value, '$.qty') * json_extract(l.value, '$.price')
                 - COALESCE(json_extract(l.value, '$.discount'), 0)), 2) AS revenue
FROM kept, json_each(kept.lines) AS l
GROUP BY country
ORDER BY revenue DESC, country;
