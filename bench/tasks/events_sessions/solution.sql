WITH e AS (
  SELECT DISTINCT event_id, user_id, CAST(strftime('%s', ts) AS INTEGER) AS t FROM events
),
marked AS (
  SELECT user_id, t,
         CASE WHEN t - LAG(t) OVER (PARTITION BY user_id ORDER BY t, event_id) <= 1800
              THEN 0 ELSE 1 END AS starts
  FROM e
),
numbered AS (
  SELECT user_id, t,
         SUM(starts) OVER (PARTITION BY user_id ORDER BY t ROWS UNBOUNDED PRECEDING) AS session_no
  FROM marked
),
sessions AS (
  SELECT user_id, session_no, COUNT(*) AS events, MAX(t) - MIN(t) AS seconds
  FROM numbered
  GROUP BY user_id, session_no
)
SELECT u.plan,
       COUNT(DISTINCT s.user_id) AS active_users,
       COUNT(*) AS sessions,
       ROUND(AVG(s.events), 2) AS avg_events_per_session,
       ROUND(AVG(s.seconds) / 60.0, 2) AS avg_session_minutes
FROM sessions s
JOIN users u ON u.user_id = s.user_id
GROUP BY u.plan
ORDER BY u.plan;
