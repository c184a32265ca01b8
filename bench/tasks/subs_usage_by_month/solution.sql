-- A device numbers its reports 1, 2, 3, ... and starts again at 1 when it restarts, so (device, seq)
-- is not a report: in the order sent, a copy sent again repeats the seq just before it, and a restart
-- drops back to 1. A report is a row whose seq differs from the device's previous row.
WITH o AS (
  SELECT device_id, seq, sent, calls,
         LAG(seq) OVER (PARTITION BY device_id ORDER BY sent) AS prev
  FROM usage
)
SELECT substr(sent, 1, 7) AS month, COUNT(*) AS reports, SUM(calls) AS calls
FROM o WHERE prev IS NULL OR seq <> prev
GROUP BY 1 ORDER BY 1
