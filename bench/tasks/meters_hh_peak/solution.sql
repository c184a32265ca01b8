-- A meter that could not send for a while sends the energy of the half hours it missed together with
-- its next half hour: a row whose previous half hour is missing covers more than one half hour and is
-- not a half hour's use. (Re-sent rows repeat a row exactly; 01:00 and 01:30 on 27 October come twice
-- because the clocks went back, and neither follows a gap.)
WITH sent AS (SELECT DISTINCT meter, period, kwh FROM halfhourly),
single AS (
  SELECT h.* FROM sent h
  WHERE h.period = '2024-10-21 00:00'
     OR EXISTS (SELECT 1 FROM sent p WHERE p.meter = h.meter
                AND p.period = strftime('%Y-%m-%d %H:%M', h.period, '-30 minutes'))
),
ranked AS (
  SELECT meter, period, kwh, ROW_NUMBER() OVER (PARTITION BY meter ORDER BY kwh DESC, period) AS n
  FROM single
)
SELECT m.site, r.period, r.kwh
FROM ranked r JOIN meters m ON m.meter = r.meter
WHERE r.n = 1
ORDER BY m.site
