WITH ratings AS (
  SELECT LOWER(r.location) AS location, a.answer
  FROM answers a
  JOIN questions q ON q.question_id = a.question_id
  JOIN respondents r ON r.respondent_id = a.respondent_id
  WHERE q.scale = 'nps' AND a.answer IS NOT NULL
),
shares AS (
  SELECT location, COUNT(*) AS ratings,
         100.0 * SUM(CASE WHEN answer >= 9 THEN 1 ELSE 0 END) / COUNT(*) AS p,
         100.0 * SUM(CASE WHEN answer <= 6 THEN 1 ELSE 0 END) / COUNT(*) AS d
  FROM ratings
  GROUP BY location
)
SELECT location, ratings, ROUND(p, 2) AS promoters_pct, ROUND(d, 2) AS detractors_pct,
       ROUND(p - d, 2) AS enps
FROM shares
ORDER BY p - d DESC, location;
