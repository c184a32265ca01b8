-- DuckDB spelling
SELECT lower(r.department) AS department,
       round(avg(a.answer) FILTER (WHERE q.topic = 'manager'), 2) AS manager,
       round(avg(a.answer) FILTER (WHERE q.topic = 'workload'), 2) AS workload,
       round(avg(a.answer) FILTER (WHERE q.topic = 'growth'), 2) AS growth,
       round(avg(a.answer) FILTER (WHERE q.topic = 'culture'), 2) AS culture,
       round(avg(a.answer) FILTER (WHERE q.topic = 'tools'), 2) AS tools
FROM answers a
JOIN questions q ON q.question_id = a.question_id
JOIN respondents r ON r.respondent_id = a.respondent_id
WHERE q.scale = 'likert' AND a.answer IS NOT NULL
GROUP BY 1
ORDER BY 1;
