-- From 14 October the RF head-end stamped its midnight reads in UTC: until the clocks went back on
-- 27 October, local midnight reads as 23:00 the day before. A read at 23:00 is the next day's midnight
-- read; reads at other times of day are an engineer's, not midnight reads.
WITH midnight AS (
  SELECT meter, date(read_at, '+1 hour') AS day, register
  FROM readings
  WHERE substr(read_at, 12, 5) IN ('00:00', '23:00')
)
SELECT a.day, COUNT(*) AS meters, ROUND(SUM(b.register - a.register), 1) AS kwh
FROM midnight a JOIN midnight b ON b.meter = a.meter AND b.day = date(a.day, '+1 day')
WHERE a.day BETWEEN '2024-10-12' AND '2024-10-31'
GROUP BY a.day
ORDER BY a.day
