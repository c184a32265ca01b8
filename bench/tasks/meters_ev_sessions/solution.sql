-- Voltra's backend closes a session at midnight and opens a new one: a row that starts at the very
-- minute the same charger's previous row ended (00:00) continues that session.
WITH r AS (
  SELECT charger, plugged_in, unplugged, kwh,
         CASE WHEN LAG(unplugged) OVER (PARTITION BY charger ORDER BY plugged_in) = plugged_in
              THEN 0 ELSE 1 END AS fresh
  FROM ev_sessions
),
n AS (
  SELECT *, SUM(fresh) OVER (PARTITION BY charger ORDER BY plugged_in) AS k FROM r
),
s AS (
  SELECT charger, MIN(plugged_in) AS plugged_in, MAX(unplugged) AS unplugged, SUM(kwh) AS kwh
  FROM n GROUP BY charger, k
)
SELECT st.region, COUNT(*) AS sessions,
       ROUND(AVG((julianday(s.unplugged) - julianday(s.plugged_in)) * 24), 2) AS hours,
       ROUND(AVG(s.kwh), 2) AS kwh
FROM s JOIN chargers c ON c.charger = s.charger JOIN sites st ON st.site = c.site
WHERE s.plugged_in >= '2024-11-01' AND s.plugged_in < '2024-12-01'
GROUP BY st.region ORDER BY st.region
