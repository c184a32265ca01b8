-- Postgres spelling
SELECT EXTRACT(HOUR FROM CAST(ts AS TIMESTAMP))::int AS hour,
       COUNT(*) AS requests,
       COUNT(*) FILTER (WHERE status >= 500) AS errors,
       ROUND(100.0 * COUNT(*) FILTER (WHERE status >= 500) / COUNT(*), 2) AS error_rate
FROM requests
WHERE CAST(ts AS DATE) = DATE '2024-05-07'
GROUP BY 1
ORDER BY 1;
