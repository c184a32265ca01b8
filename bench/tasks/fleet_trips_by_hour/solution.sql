-- The dispatch app wrote local time until its migration and UTC from the trips of Monday 26 February on:
-- a trip starts within two minutes of its van's ignition-on ping (UTC), an hour before its written
-- start until then and at it after. Add the hour to the trips written in UTC.
WITH t AS (
  SELECT vehicle_id,
         CASE WHEN started >= '2024-02-26' THEN datetime(started, '+1 hour') ELSE started END AS local_start
  FROM trips
)
SELECT v.depot, CAST(strftime('%H', t.local_start) AS INTEGER) AS hour, COUNT(*) AS trips
FROM t JOIN vehicles v ON v.vehicle_id = t.vehicle_id
GROUP BY v.depot, hour ORDER BY v.depot, hour
