-- Until the billing system's migration on 2024-05-01, amount held the tax (amount - tax is the list
-- price); from then amount is the net price and the tax comes on top.
SELECT substr(issued, 1, 7) AS month, currency,
       ROUND(SUM(CASE WHEN issued < '2024-05-01' THEN amount - tax ELSE amount END), 2) AS net
FROM invoices WHERE issued >= '2024-01-01'
GROUP BY 1, 2 ORDER BY 1, 2
