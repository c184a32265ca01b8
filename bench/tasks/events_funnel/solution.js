const steps = ["view_item", "add_to_cart", "begin_checkout", "purchase"];
const seen = new Set();
const byUser = new Map();
for (const line of fs.readFileSync("events.jsonl", "utf8").split("\n")) {
  if (!line.trim()) continue;
  const e = JSON.parse(line);
  if (seen.has(e.event_id)) continue;
  seen.add(e.event_id);
  if (!byUser.has(e.user_id)) byUser.set(e.user_id, []);
  byUser.get(e.user_id).push(e);
}
const reached = [0, 0, 0, 0];
for (const events of byUser.values()) {
  // Stable sort by time; ISO strings in UTC compare correctly as text.
  events.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  let at = null;
  for (let k = 0; k < steps.length; k++) {
    const hit = events.find((e) => e.event === steps[k] && (at === null || e.ts >= at));
    if (!hit) break;
    reached[k] += 1;
    at = hit.ts;
  }
}
const rows = steps.map((event, k) => ({
  step: k + 1,
  event,
  users: reached[k],
  pct_of_previous: k === 0 ? 100 : Math.round((10000 * reached[k]) / reached[k - 1]) / 100,
}));
console.log(JSON.stringify(rows));
