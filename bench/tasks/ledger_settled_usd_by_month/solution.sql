WITH t AS (
  SELECT txn_id, source, status, currency,
         CASE source WHEN 'us' THEN substr(booked, 7, 4) || '-' || substr(booked, 1, 2) || '-' || substr(booked, 4, 2)
                     ELSE substr(booked, 7, 4) || '-' || substr(booked, 4, 2) || '-' || substr(booked, 1, 2) END AS day,
         CASE source
           WHEN 'us' THEN (CASE WHEN amount LIKE '(%' THEN -1 ELSE 1 END)
                          * CAST(replace(replace(replace(replace(amount, '(', ''), ')', ''), '$', ''), ',', '') AS REAL)
           WHEN 'uk' THEN CAST(replace(replace(amount, '£', ''), ',', '') AS REAL)
           ELSE CAST(replace(replace(amount, '.', ''), ',', '.') AS REAL) END AS amount,
         'ACC-' || printf('%05d', CAST(substr(trim(account), 5) AS INTEGER)) AS account_id
  FROM transactions
),
latest AS (
  SELECT txn_id, field, value FROM (
    SELECT txn_id, field, value,
           ROW_NUMBER() OVER (PARTITION BY txn_id, field ORDER BY julianday(corrected_at) DESC) AS r
    FROM corrections)
  WHERE r = 1
),
f AS (
  SELECT t.txn_id, t.source, t.day, substr(t.day, 1, 7) AS month, t.currency, t.account_id,
         t.amount AS original, COALESCE(a.value, t.amount) AS amount,
         COALESCE(CAST(s.value AS INTEGER), t.status) AS status
  FROM t
  LEFT JOIN latest a ON a.txn_id = t.txn_id AND a.field = 'amount'
  LEFT JOIN latest s ON s.txn_id = t.txn_id AND s.field = 'status'
),
settled AS (
  SELECT f.*, f.amount * x.usd_per_unit AS usd
  FROM f JOIN fx_rates x ON x.month = f.month AND x.currency = f.currency
  WHERE f.status IN (10, 12)
)
SELECT month, COUNT(*) AS transactions, ROUND(SUM(usd), 2) AS usd FROM settled GROUP BY month ORDER BY month
