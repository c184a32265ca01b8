-- The scanners wrote day/month until a firmware update, month/day after it: the first scan whose
-- first field is a month (its second field above 12) marks the switch, and scans arrive in order.
WITH switch AS (
  SELECT MIN(scan_id) AS first_id FROM scans WHERE CAST(substr(scanned, 4, 2) AS INTEGER) > 12
),
s AS (
  SELECT scan_id, parcel, scans.depot, event,
         CASE WHEN scan_id >= (SELECT first_id FROM switch)
              THEN substr(scanned, 7, 4) || '-' || substr(scanned, 1, 2) || '-' || substr(scanned, 4, 2)
              ELSE substr(scanned, 7, 4) || '-' || substr(scanned, 4, 2) || '-' || substr(scanned, 1, 2)
         END || ' ' || substr(scanned, 12, 5) AS local, d.utc_offset
  FROM scans JOIN depots d ON d.depot = scans.depot
),
t AS (
  SELECT s.*, substr(local, 1, 10) AS local_day,
         unixepoch(replace(local, ' ', 'T') || ':00' || utc_offset) AS at
  FROM s
)
SELECT p.depot AS origin, d.depot AS destination, COUNT(*) AS parcels,
       ROUND(median((d.at - p.at) / 3600.0), 1) AS median_hours
FROM t p JOIN t d ON d.parcel = p.parcel AND p.event = 'PICKUP' AND d.event = 'DELIVERED'
GROUP BY p.depot, d.depot ORDER BY origin, destination
