SELECT json_extract(l.value, '$.category') AS category,
       COUNT(DISTINCT o.id) AS orders,
       COUNT(DISTINCT json_extract(o.customer, '$.id')) AS customers,
       SUM(json_extract(l.value, '$.qty')) AS units
FROM orders AS o, json_each(o.lines) AS l
WHERE o.status <> 'cancelled'
GROUP BY category
ORDER BY category;
