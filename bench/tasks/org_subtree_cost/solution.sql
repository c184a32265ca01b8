-- Postgres spelling
WITH RECURSIVE execs AS (
  SELECT e.employee_id, e.name, e.title
  FROM employees e
  JOIN employees ceo ON ceo.employee_id = e.manager_id
  WHERE ceo.manager_id IS NULL
),
org_tree AS (
  SELECT employee_id AS exec_id, employee_id, 0 AS depth FROM execs
  UNION ALL
  SELECT t.exec_id, e.employee_id, t.depth + 1
  FROM org_tree t
  JOIN employees e ON e.manager_id = t.employee_id
)
SELECT x.employee_id, x.name, x.title,
       COUNT(*) FILTER (WHERE t.depth > 0) AS reports,
       SUM(COALESCE(e.salary, 0)) AS payroll
FROM execs x
JOIN org_tree t ON t.exec_id = x.employee_id
JOIN employees e ON e.employee_id = t.employee_id
GROUP BY x.employee_id, x.name, x.title
ORDER BY reports DESC, x.employee_id;
