-- Postgres spelling
SELECT e.employee_id, e.name, e.salary, m.name AS manager_name, m.salary AS manager_salary,
       e.salary - m.salary AS difference
FROM employees AS e
INNER JOIN employees AS m ON m.employee_id = e.manager_id
WHERE e.salary > m.salary
ORDER BY difference DESC, e.employee_id ASC;
