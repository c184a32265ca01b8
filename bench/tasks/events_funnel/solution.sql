WITH e AS (
  SELECT DISTINCT event_id, user_id, event, ts FROM events
),
s1 AS (
  SELECT user_id, MIN(ts) AS t FROM e WHERE event = 'view_item' GROUP BY user_id
),
s2 AS (
  SELECT e.user_id, MIN(e.ts) AS t
  FROM e JOIN s1 ON s1.user_id = e.user_id AND e.ts >= s1.t
  WHERE e.event = 'add_to_cart' GROUP BY e.user_id
),
s3 AS (
  SELECT e.user_id, MIN(e.ts) AS t
  FROM e JOIN s2 ON s2.user_id = e.user_id AND e.ts >= s2.t
  WHERE e.event = 'begin_checkout' GROUP BY e.user_id
),
s4 AS (
  SELECT e.user_id, MIN(e.ts) AS t
  FROM e JOIN s3 ON s3.user_id = e.user_id AND e.ts >= s3.t
  WHERE e.event = 'purchase' GROUP BY e.user_id
),
steps AS (
  SELECT 1 AS step, 'view_item' AS event, COUNT(*) AS users FROM s1
  UNION ALL SELECT 2, 'add_to_cart', COUNT(*) FROM s2
  UNION ALL SELECT 3, 'begin_checkout', COUNT(*) FROM s3
  UNION ALL SELECT 4, 'purchase', COUNT(*) FROM s4
)
SELECT step, event, users,
       COALESCE(ROUND(100.0 * users / LAG(users) OVER (ORDER BY step), 2), 100.0) AS pct_of_previous
FROM steps
ORDER BY step;
