const lines = fs.readFileSync("events.jsonl", "utf8").split("\n").filter((l) => l.trim());
const seen = new Set();
const byEvent = new Map();
for (const line of lines) {
  const e = JSON.parse(line);
  if (seen.has(e.event_id)) continue;
  seen.add(e.event_id);
  const s = byEvent.get(e.event) ?? { events: 0, users: new Set() };
  s.events += 1;
  s.users.add(e.user_id);
  byEvent.set(e.event, s);
}
const rows = [...byEvent.entries()]
  .map(([event, s]) => ({ event, events: s.events, users: s.users.size }))
  .sort((a, b) => b.events - a.events || (a.event < b.event ? -1 : 1));
console.log(JSON.stringify(rows));
