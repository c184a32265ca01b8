-- From 1 March the provider's amounts leave VAT out: the price per litre at every station drops by
-- exactly 1/1.21 overnight. Put the 21% back on those amounts.
SELECT v.depot, substr(f.ts, 1, 7) AS month,
       ROUND(SUM(CASE WHEN f.ts >= '2024-03-01' THEN f.amount_eur * 1.21 ELSE f.amount_eur END), 2) AS cost_eur
FROM fuel f JOIN vehicles v ON v.vehicle_id = f.vehicle_id
GROUP BY v.depot, month ORDER BY v.depot, month
