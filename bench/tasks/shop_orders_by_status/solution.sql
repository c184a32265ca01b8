SELECT status,
       COUNT(*) AS orders,
       ROUND(100.0 * COUNT(*) / (SELECT COUNT(*) FROM orders), 1) AS share_pct
FROM orders
GROUP BY status
ORDER BY orders DESC, status;
