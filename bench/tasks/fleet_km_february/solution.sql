-- Most trackers report the van's odometer. The older ones (no IGN_ON event) count from 0 each time they
-- power up with the ignition: each trip's distance is its last reading minus its first, the first being
-- the IGN_ON reading or, for an older tracker, 0. (No trip crosses a month's end.)
WITH p AS (
  SELECT vehicle_id, ts, event, odometer_km,
         SUM(event = 'IGN_OFF') OVER (PARTITION BY vehicle_id ORDER BY ts
                                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS trip
  FROM pings
),
t AS (
  SELECT vehicle_id, COALESCE(trip, 0) AS trip, MIN(ts) AS began,
         MAX(odometer_km) - COALESCE(MAX(CASE WHEN event = 'IGN_ON' THEN odometer_km END), 0) AS km
  FROM p GROUP BY vehicle_id, COALESCE(trip, 0)
)
SELECT v.depot, COUNT(DISTINCT t.vehicle_id) AS vans, ROUND(SUM(t.km), 1) AS km
FROM t JOIN vehicles v ON v.vehicle_id = t.vehicle_id
WHERE t.began >= '2024-02-01' AND t.began < '2024-03-01'
GROUP BY v.depot ORDER BY v.depot
