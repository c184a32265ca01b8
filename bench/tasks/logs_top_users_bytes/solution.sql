-- DuckDB spelling
SELECT user_id, count(*) AS requests, sum(bytes) AS total_bytes
FROM requests
WHERE user_id IS NOT NULL
GROUP BY ALL
ORDER BY total_bytes DESC, user_id
LIMIT 5;
