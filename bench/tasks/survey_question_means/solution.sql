SELECT q.question_id, q.topic, COUNT(a.answer) AS responses, ROUND(AVG(a.answer), 2) AS mean_score
FROM questions q
JOIN answers a ON a.question_id = q.question_id
WHERE q.scale = 'likert'
GROUP BY q.question_id, q.topic
ORDER BY q.question_id;
