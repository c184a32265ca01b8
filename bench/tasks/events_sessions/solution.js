const lines = fs.readFileSync("users.csv", "utf8").trim().split("\n");
const header = lines[0].split(",");
const planOf = new Map();
for (const line of lines.slice(1)) {
  const c = line.split(",");
  planOf.set(Number(c[header.indexOf("user_id")]), c[header.indexOf("plan")]);
}
const seen = new Set();
const byUser = new Map();
for (const line of fs.readFileSync("events.jsonl", "utf8").split("\n")) {
  if (!line.trim()) continue;
  const e = JSON.parse(line);
  if (seen.has(e.event_id)) continue;
  seen.add(e.event_id);
  if (!byUser.has(e.user_id)) byUser.set(e.user_id, []);
  byUser.get(e.user_id).push(Date.parse(e.ts) / 1000);
}
const plans = new Map();
for (const [user, times] of byUser) {
  times.sort((a, b) => a - b);
  const p = plans.get(planOf.get(user)) ?? { users: 0, sessions: 0, events: 0, seconds: 0 };
  p.users += 1;
  let first = times[0];
  let prev = times[0];
  let count = 0;
  const close = () => {
    p.sessions += 1;
    p.events += count;
    p.seconds += prev - first;
  };
  for (const t of times) {
    if (count > 0 && t - prev > 1800) {
      close();
      first = t;
      count = 0;
    }
    count += 1;
    prev = t;
  }
  close();
  plans.set(planOf.get(user), p);
}
const rows = [...plans.keys()].sort().map((plan) => {
  const p = plans.get(plan);
  return {
    plan,
    active_users: p.users,
    sessions: p.sessions,
    avg_events_per_session: Math.round((100 * p.events) / p.sessions) / 100,
    avg_session_minutes: Math.round((100 * p.seconds) / p.sessions / 60) / 100,
  };
});
console.log(JSON.stringify(rows));
