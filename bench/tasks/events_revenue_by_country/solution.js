const userLines = fs.readFileSync("users.csv", "utf8").trim().split("\n");
const header = userLines[0].split(",");
const country = new Map();
for (const line of userLines.slice(1)) {
  const c = line.split(",");
  country.set(Number(c[header.indexOf("user_id")]), c[header.indexOf("country")].toUpperCase());
}
const seen = new Set();
const byCountry = new Map();
for (const line of fs.readFileSync("events.jsonl", "utf8").split("\n")) {
  if (!line.trim()) continue;
  const e = JSON.parse(line);
  if (e.event !== "purchase" || seen.has(e.event_id)) continue;
  seen.add(e.event_id);
  const k = country.get(e.user_id);
  const s = byCountry.get(k) ?? { purchases: 0, buyers: new Set(), revenue: 0 };
  s.purchases += 1;
  s.buyers.add(e.user_id);
  s.revenue += e.properties.amount;
  byCountry.set(k, s);
}
const rows = [...byCountry.entries()]
  .map(([c, s]) => ({
    country: c,
    purchases: s.purchases,
    buyers: s.buyers.size,
    revenue: Math.round(s.revenue * 100) / 100,
  }))
  .sort((a, b) => b.revenue - a.revenue || (a.country < b.country ? -1 : 1));
console.log(JSON.stringify(rows));
