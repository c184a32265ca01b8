-- The time clocks date a clock-out with the day its shift began: a night shift that ends after midnight
-- reads as ending before it began. Such a clock-out is on the next day.
WITH s AS (
  SELECT driver_id,
         (julianday(clock_out) - julianday(clock_in)
          + CASE WHEN clock_out < clock_in THEN 1 ELSE 0 END) * 24 AS hours
  FROM shifts WHERE clock_in >= '2024-02-01' AND clock_in < '2024-03-01'
)
SELECT d.driver_id, d.name, d.depot, COUNT(*) AS shifts, ROUND(SUM(s.hours), 1) AS hours
FROM s JOIN drivers d ON d.driver_id = s.driver_id
GROUP BY d.driver_id ORDER BY SUM(s.hours) DESC LIMIT 10
