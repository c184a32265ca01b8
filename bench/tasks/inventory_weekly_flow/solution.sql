-- DuckDB spelling
SELECT strftime(date_trunc('week', CAST(day AS DATE)), '%Y-%m-%d') AS week_start,
       count(*) AS movements,
       sum(CASE WHEN delta > 0 THEN delta ELSE 0 END) AS units_in,
       sum(CASE WHEN delta < 0 THEN -delta ELSE 0 END) AS units_out,
       sum(delta) AS net
FROM movements
GROUP BY ALL
ORDER BY week_start;
