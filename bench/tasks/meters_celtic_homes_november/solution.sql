-- The A100 meters have a five-digit register: after 99999.9 it starts again at 0.0. A step down
-- between consecutive readings is a roll-over: the meter counted 100000 more than the difference.
WITH r AS (
  SELECT meter, read_at, register,
         LAG(register) OVER (PARTITION BY meter ORDER BY read_at) AS prev
  FROM readings
  WHERE read_at BETWEEN '2024-11-01 00:00' AND '2024-12-01 00:00'
),
used AS (
  SELECT meter, SUM(CASE WHEN register < prev THEN register + 100000 - prev ELSE register - prev END) AS kwh
  FROM r WHERE prev IS NOT NULL GROUP BY meter
)
SELECT s.region, s.tariff, COUNT(*) AS sites, ROUND(SUM(u.kwh), 1) AS kwh,
       ROUND(SUM(u.kwh * t.unit_rate_p + 30 * t.standing_p_per_day) / 100, 2) AS bill_gbp
FROM used u JOIN meters m ON m.meter = u.meter JOIN sites s ON s.site = m.site
JOIN tariffs t ON t.tariff = s.tariff
WHERE s.tariff IN ('STANDARD', 'E7') AND s.region IN ('Wales', 'Scotland')
GROUP BY s.region, s.tariff
ORDER BY s.region, s.tariff
