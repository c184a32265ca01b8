-- Some accounts are billed yearly: one invoice a year for twelve months at the monthly list price
-- (their invoices come 12 months apart). An invoice's months are its net amount over the monthly
-- price; net is amount - tax before the billing migration of 2024-05-01 (amount held the tax), amount after.
WITH RECURSIVE inv AS (
  SELECT i.account_id, i.issued,
         CAST(ROUND((CASE WHEN i.issued < '2024-05-01' THEN i.amount - i.tax ELSE i.amount END)
                    / p.monthly_price) AS INTEGER) AS months
  FROM invoices i JOIN prices p ON p.plan = i.plan AND p.currency = i.currency
),
covered(account_id, month, k, months) AS (
  SELECT account_id, date(issued, 'start of month'), 1, months FROM inv
  UNION ALL
  SELECT account_id, date(month, '+1 month'), k + 1, months FROM covered WHERE k < months
)
SELECT substr(month, 1, 7) AS month, COUNT(DISTINCT account_id) AS accounts
FROM covered WHERE month BETWEEN '2024-01-01' AND '2024-12-01'
GROUP BY 1 ORDER BY 1
