-- Gateways re-send batches hours later: the same meter, period and kwh again. Those count once. The
-- clocks went back at 02:00 on 27 October, so 01:00 and 01:30 that day come twice with different kwh:
-- two half hours, both count.
WITH sent AS (SELECT DISTINCT meter, period, kwh FROM halfhourly)
SELECT s.site, s.region, ROUND(SUM(h.kwh), 1) AS kwh
FROM sent h JOIN meters m ON m.meter = h.meter JOIN sites s ON s.site = m.site
GROUP BY s.site, s.region
ORDER BY s.site
