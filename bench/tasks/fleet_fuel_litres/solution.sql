-- The Viadotto stations' pumps report US gallons: their amount per unit of quantity is about 3.79 times
-- every other station's price per litre, on the same days. Convert their quantity to litres.
SELECT v.depot, substr(f.ts, 1, 7) AS month, COUNT(*) AS fills,
       ROUND(SUM(CASE WHEN s.brand = 'Viadotto' THEN f.quantity * 3.785411784 ELSE f.quantity END)) AS litres
FROM fuel f JOIN vehicles v ON v.vehicle_id = f.vehicle_id JOIN stations s ON s.station_id = f.station_id
GROUP BY v.depot, month ORDER BY v.depot, month
