-- The C300 meters' firmware began writing the register in MWh during November: in a meter's series
-- the value falls to a thousandth of the one before. From that reading on, multiply by 1000.
WITH r AS (
  SELECT meter, read_at, register,
         LAG(register) OVER (PARTITION BY meter ORDER BY read_at) AS prev
  FROM readings
),
switch AS (
  SELECT meter, MIN(read_at) AS at FROM r
  WHERE register < prev / 100 AND register * 1000 >= prev
  GROUP BY meter
),
kwh AS (
  SELECT r.meter, r.read_at,
         CASE WHEN s.at IS NOT NULL AND r.read_at >= s.at THEN r.register * 1000 ELSE r.register END AS reg
  FROM r LEFT JOIN switch s ON s.meter = r.meter
)
SELECT si.region, COUNT(*) AS sites, ROUND(SUM(e.reg - b.reg), 1) AS kwh
FROM sites si
JOIN meters m ON m.site = si.site
JOIN kwh b ON b.meter = m.meter AND b.read_at = '2024-11-01 00:00'
JOIN kwh e ON e.meter = m.meter AND e.read_at = '2024-12-01 00:00'
WHERE si.tariff = 'BUSINESS'
GROUP BY si.region
ORDER BY si.region
