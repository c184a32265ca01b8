-- Ids of closed accounts were given to new customers: an id's invoices from before its customer opened
-- it (they stop months before, in another series) belong to the customer who held it before.
SELECT a.country, COUNT(DISTINCT a.account_id) AS customers, COUNT(i.invoice_id) AS invoices
FROM accounts a LEFT JOIN invoices i ON i.account_id = a.account_id AND i.issued >= a.opened
GROUP BY a.country ORDER BY a.country
