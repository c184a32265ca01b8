-- DuckDB spelling
SELECT strftime(CAST(date AS DATE), '%Y-%m') AS month,
       COALESCE(SUM(units) FILTER (WHERE product = 'doohickey'), 0) AS doohickey,
       COALESCE(SUM(units) FILTER (WHERE product = 'gadget'), 0) AS gadget,
       COALESCE(SUM(units) FILTER (WHERE product = 'gizmo'), 0) AS gizmo,
       COALESCE(SUM(units) FILTER (WHERE product = 'widget'), 0) AS widget,
       SUM(units) AS total
FROM sales
GROUP BY ALL
ORDER BY month;
