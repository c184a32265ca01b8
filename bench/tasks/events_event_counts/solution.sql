SELECT event, COUNT(DISTINCT event_id) AS events, COUNT(DISTINCT user_id) AS users
FROM events
GROUP BY event
ORDER BY events DESC, event;
