WITH matched AS (
  SELECT e.service, r.latency_ms, e.slo_ms,
         ROW_NUMBER() OVER (PARTITION BY e.service ORDER BY r.latency_ms) AS pos,
         COUNT(*) OVER (PARTITION BY e.service) AS n
  FROM requests r
  JOIN endpoints e ON e.path = r.path
)
SELECT service,
       MAX(n) AS requests,
       MAX(CASE WHEN pos = (95 * n + 99) / 100 THEN latency_ms END) AS p95_latency_ms,
       SUM(CASE WHEN latency_ms > slo_ms THEN 1 ELSE 0 END) AS slo_misses
FROM matched
GROUP BY service
ORDER BY p95_latency_ms DESC, service;
