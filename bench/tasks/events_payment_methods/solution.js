const lines = fs.readFileSync("events.jsonl", "utf8").split("\n").filter((l) => l.trim());
const seen = new Set();
const byMethod = new Map();
for (const line of lines) {
  const e = JSON.parse(line);
  if (e.event !== "purchase" || seen.has(e.event_id)) continue;
  seen.add(e.event_id);
  const method = e.properties.payment.method;
  const s = byMethod.get(method) ?? { purchases: 0, revenue: 0, coupons: 0 };
  s.purchases += 1;
  s.revenue += e.properties.amount;
  if (e.properties.payment.coupon) s.coupons += 1;
  byMethod.set(method, s);
}
const rows = [...byMethod.entries()]
  .map(([m, s]) => ({
    payment_method: m,
    purchases: s.purchases,
    revenue: Math.round(s.revenue * 100) / 100,
    with_coupon: s.coupons,
  }))
  .sort((a, b) => b.revenue - a.revenue || (a.payment_method < b.payment_method ? -1 : 1));
console.log(JSON.stringify(rows));
