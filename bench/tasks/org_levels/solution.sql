WITH RECURSIVE chart(employee_id, salary, level) AS (
  SELECT employee_id, salary, 1 FROM employees WHERE manager_id IS NULL
  UNION ALL
  SELECT e.employee_id, e.salary, c.level + 1
  FROM employees e
  JOIN chart c ON e.manager_id = c.employee_id
)
SELECT level, COUNT(*) AS employees, ROUND(AVG(salary), 2) AS avg_salary
FROM chart
GROUP BY level
ORDER BY level;
