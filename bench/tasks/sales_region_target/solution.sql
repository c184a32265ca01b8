SELECT r.region,
       r.manager,
       r.target,
       ROUND(COALESCE(SUM(s.units * s.unit_price), 0), 2) AS revenue,
       ROUND(100.0 * COALESCE(SUM(s.units * s.unit_price), 0) / r.target, 1) AS attainment_pct
FROM regions AS r
LEFT JOIN sales AS s ON s.region = r.region
GROUP BY r.region, r.manager, r.target
ORDER BY attainment_pct DESC, r.region;
