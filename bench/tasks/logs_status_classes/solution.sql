SELECT (status / 100) || 'xx' AS status_class,
       COUNT(*) AS requests,
       ROUND(100.0 * COUNT(*) / (SELECT COUNT(*) FROM requests), 2) AS pct
FROM requests
GROUP BY status_class
ORDER BY status_class;
