SELECT department, COUNT(*) AS headcount, COUNT(salary) AS salaried, ROUND(AVG(salary), 2) AS avg_salary
FROM employees
GROUP BY department
ORDER BY headcount DESC, department;
