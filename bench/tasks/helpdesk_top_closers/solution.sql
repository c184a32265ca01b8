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
  SELECT id, at, status_to FROM (
    SELECT id, at, status_to, ROW_NUMBER() OVER (PARTITION BY id ORDER BY at DESC) AS r
    FROM entry WHERE type = 'status')
  WHERE r = 1
),
credit AS (
  SELECT l.id, (SELECT r.by FROM reply r WHERE r.id = l.id AND r.at < l.at
                ORDER BY r.at DESC LIMIT 1) AS agent_id
  FROM last_status l WHERE l.status_to = 'solved'
)
SELECT a.agent_id, a.name, COUNT(*) AS closed
FROM credit c JOIN agents a ON a.agent_id = c.agent_id
GROUP BY a.agent_id, a.name ORDER BY closed DESC, a.agent_id LIMIT 5
