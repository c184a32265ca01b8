-- Postgres spelling; properties is already JSON text, so it is used without a ::json cast
WITH purchases AS (
  SELECT DISTINCT event_id,
         properties -> 'payment' ->> 'method' AS payment_method,
         (properties ->> 'amount')::numeric AS amount,
         (properties -> 'payment' ->> 'coupon')::boolean AS coupon
  FROM events
  WHERE event = 'purchase'
)
SELECT payment_method,
       COUNT(*) AS purchases,
       ROUND(SUM(amount), 2) AS revenue,
       COUNT(*) FILTER (WHERE coupon) AS with_coupon
FROM purchases
GROUP BY payment_method
ORDER BY revenue DESC, payment_method;
