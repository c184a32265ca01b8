WITH tk AS (
  SELECT id, channel, unixepoch(created_at) AS created, lower(requester ->> 'org') AS org, custom_fields, log
  FROM tickets
),
opt AS (
  SELECT f.id AS field, f.title, f."default" AS dflt, CAST(o.key AS INTEGER) AS rank,
         o.value ->> 'value' AS value, o.value ->> 'name' AS name
  FROM fields f, json_each(f.options) o
),
prio AS (
  SELECT tk.id, opt.name AS priority, opt.rank
  FROM tk JOIN opt ON opt.title = 'Priority'
   AND opt.value = COALESCE((SELECT c.value ->> 'value' FROM json_each(tk.custom_fields) c
                             WHERE c.value ->> 'id' = opt.field), opt.dflt)
),
entry AS (
  SELECT tk.id, e.key AS k,
         CASE json_type(e.value, '$.at') WHEN 'integer' THEN (e.value ->> 'at') / 1000.0
                                          ELSE unixepoch(e.value ->> 'at') END AS at,
         e.value ->> 'type' AS type, e.value ->> 'by' AS by, e.value ->> 'public' AS public, e.value ->> 'to' AS status_to
  FROM tk, json_each(tk.log) e
),
reply AS (
  SELECT entry.*, a.team, a.utc_offset FROM entry JOIN agents a ON a.agent_id = entry.by
  WHERE entry.type = 'comment' AND entry.public = 1
),
first_reply AS (
  SELECT id, by AS agent_id, (at - created) / 60.0 AS minutes FROM (
    SELECT reply.id, reply.by, reply.at, tk.created,
           ROW_NUMBER() OVER (PARTITION BY reply.id ORDER BY reply.at) AS r
    FROM reply JOIN tk ON tk.id = reply.id)
  WHERE r = 1
)
, last_status AS (
  SELECT id, status_to FROM (
    SELECT id, status_to, ROW_NUMBER() OVER (PARTITION BY id ORDER BY at DESC) AS r
    FROM entry WHERE type = 'status')
  WHERE r = 1
),
area AS (
  SELECT tk.id, COALESCE((SELECT opt.name FROM json_each(tk.custom_fields) c
                          JOIN opt ON opt.field = c.value ->> 'id' AND opt.value = c.value ->> 'value'
                          WHERE opt.title = 'Product area'), '(none)') AS area
  FROM tk
)
SELECT area.area, COUNT(*) AS open_tickets
FROM area LEFT JOIN last_status l ON l.id = area.id
WHERE l.status_to IS NULL OR l.status_to <> 'solved'
GROUP BY area.area ORDER BY open_tickets DESC, area.area
