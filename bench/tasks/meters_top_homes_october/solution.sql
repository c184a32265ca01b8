-- When an engineer exchanges a meter, the meter point keeps its id: the old meter's removal read and the
-- new meter's install read share one read_at. The step between those two is not energy; every other
-- step between consecutive readings is.
WITH r AS (
  SELECT meter, read_at, register,
         LAG(register) OVER (PARTITION BY meter ORDER BY read_at) AS prev,
         LAG(read_at) OVER (PARTITION BY meter ORDER BY read_at) AS prev_at
  FROM readings
  WHERE read_at BETWEEN '2024-10-01 00:00' AND '2024-11-01 00:00'
),
used AS (
  SELECT meter, SUM(CASE WHEN read_at = prev_at THEN 0 ELSE register - prev END) AS kwh
  FROM r WHERE prev IS NOT NULL GROUP BY meter
)
SELECT s.site, s.region, s.tariff, ROUND(u.kwh, 1) AS kwh
FROM used u JOIN meters m ON m.meter = u.meter JOIN sites s ON s.site = m.site
WHERE s.tariff IN ('STANDARD', 'E7')
ORDER BY u.kwh DESC, s.site
LIMIT 15
