-- Two kinds of gateway: the newer ones report the fuel used since their last report; the older ones
-- report a running total that starts again each day (a van's series only grows within a day and
-- drops to a small value the next morning). For those vans a day's fuel is its last (largest)
-- value; for the others it is the sum of the reports.
WITH e AS (
  SELECT vehicle_id, ts, fuel_l, substr(ts, 1, 10) AS day,
         LAG(fuel_l) OVER (PARTITION BY vehicle_id, substr(ts, 1, 10) ORDER BY ts) AS prev
  FROM engine
),
kind AS (  -- a running total never goes down within a day
  SELECT vehicle_id, SUM(prev IS NOT NULL AND fuel_l < prev) = 0 AS running
  FROM e GROUP BY vehicle_id
),
daily AS (
  SELECT e.vehicle_id, e.day, CASE WHEN k.running THEN MAX(e.fuel_l) ELSE SUM(e.fuel_l) END AS litres
  FROM e JOIN kind k ON k.vehicle_id = e.vehicle_id
  GROUP BY e.vehicle_id, e.day, k.running
)
SELECT v.depot, substr(d.day, 1, 7) AS month, COUNT(DISTINCT d.vehicle_id) AS vans,
       ROUND(SUM(d.litres), 1) AS litres
FROM daily d JOIN vehicles v ON v.vehicle_id = d.vehicle_id
GROUP BY v.depot, month ORDER BY v.depot, month
