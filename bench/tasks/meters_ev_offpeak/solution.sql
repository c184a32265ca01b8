-- Ohmio's cloud writes each half hour's END, the other brands its start: an Ohmio charger waiting for
-- the off-peak window shows energy from 01:00 to 04:30, the others from 00:30 to 04:00, and a car
-- plugged in at 18:37 shows its first, part-filled half hour at 19:00 on an Ohmio, at 18:30 elsewhere.
WITH h AS (
  SELECT s.region, e.charger, e.kwh,
         CASE WHEN c.brand = 'Ohmio' THEN strftime('%Y-%m-%d %H:%M', e.period, '-30 minutes')
              ELSE e.period END AS start
  FROM ev_halfhours e JOIN chargers c ON c.charger = e.charger JOIN sites s ON s.site = c.site
)
SELECT region, COUNT(DISTINCT charger) AS chargers,
       ROUND(SUM(CASE WHEN substr(start, 12) >= '00:30' AND substr(start, 12) < '04:30' THEN kwh ELSE 0 END), 1)
         AS offpeak_kwh,
       ROUND(SUM(CASE WHEN substr(start, 12) >= '00:30' AND substr(start, 12) < '04:30' THEN 0 ELSE kwh END), 1)
         AS peak_kwh
FROM h
WHERE start >= '2024-11-01' AND start < '2024-12-01'
GROUP BY region ORDER BY region
