WITH purchases AS (
  SELECT DISTINCT event_id, user_id, json_extract(properties, '$.amount') AS amount
  FROM events
  WHERE event = 'purchase'
)
SELECT UPPER(u.country) AS country,
       COUNT(*) AS purchases,
       COUNT(DISTINCT p.user_id) AS buyers,
       ROUND(SUM(p.amount), 2) AS revenue
FROM purchases p
JOIN users u ON u.user_id = p.user_id
GROUP BY UPPER(u.country)
ORDER BY revenue DESC, country;
