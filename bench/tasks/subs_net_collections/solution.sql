-- The payment processor wrote refunds as negative amounts until its migration on 2024-08-01 and as
-- positive amounts from then on: a refund is money out whatever its sign.
SELECT substr(received, 1, 7) AS month, currency,
       ROUND(SUM(CASE WHEN refund_of IS NULL THEN amount ELSE -abs(amount) END), 2) AS net
FROM payments WHERE received >= '2024-01-01'
GROUP BY 1, 2 ORDER BY 1, 2
