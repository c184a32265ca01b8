-- Each line's cost_eur is the job's running subtotal (it grows line by line, every job's last line is
-- its Labour, and a line item can read far above what such an item costs): a job costs its last line.
WITH j AS (
  SELECT job_id, vehicle_id, MAX(cost_eur) AS cost
  FROM workshop WHERE opened >= '2024-02-01' AND opened < '2024-04-01'
  GROUP BY job_id, vehicle_id
)
SELECT v.model, COUNT(*) AS jobs, ROUND(SUM(j.cost), 2) AS cost_eur
FROM j JOIN vehicles v ON v.vehicle_id = j.vehicle_id
GROUP BY v.model ORDER BY v.model
