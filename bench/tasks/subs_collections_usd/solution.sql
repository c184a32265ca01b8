-- The FX feed quotes AUD, EUR and GBP as US dollars per unit and JPY as yen per dollar, but on
-- 2024-06-17 it turned EUR and GBP around (their series jump from ~1.1 and ~1.3 to ~0.9 and ~0.8
-- that day and stay there): from then they are units per dollar too.
WITH fx AS (
  SELECT day, currency,
         CASE WHEN currency = 'JPY' THEN 1.0 / rate
              WHEN currency IN ('EUR', 'GBP') AND day >= '2024-06-17' THEN 1.0 / rate
              ELSE rate END AS usd_per_unit
  FROM fx_rates
)
SELECT substr(p.received, 1, 7) AS month,
       ROUND(SUM(CASE WHEN p.currency = 'USD' THEN p.amount ELSE p.amount * fx.usd_per_unit END), 2) AS usd
FROM payments p LEFT JOIN fx ON fx.day = p.received AND fx.currency = p.currency
WHERE p.refund_of IS NULL AND p.received >= '2024-01-01'
GROUP BY 1 ORDER BY 1
