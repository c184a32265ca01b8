function readCsv(name) {
  const lines = fs.readFileSync(name, "utf8").split(/\r?\n/).filter((l) => l !== "");
  const header = lines[0].split(",");
  return lines.slice(1).map((l) => {
    const cells = l.split(",");
    return Object.fromEntries(header.map((h, i) => [h, cells[i] === "" ? null : cells[i]]));
  });
}
const amount = {};
for (const line of fs.readFileSync("order_items.jsonl", "utf8").split("\n")) {
  if (!line.trim()) continue;
  const it = JSON.parse(line);
  amount[it.order_id] = (amount[it.order_id] ?? 0) + it.qty * it.unit_price;
}
const tierOf = {};
const tiers = {};
for (const c of readCsv("customers.csv")) {
  const tier = c.tier ?? "none";
  tierOf[Number(c.id)] = tier;
  const t = (tiers[tier] ??= { tier, customers: 0, orders: 0, revenue: 0 });
  t.customers += 1;
}
for (const o of readCsv("orders.csv")) {
  if (o.status === "cancelled") continue;
  const tier = tierOf[Number(o.customer_id)];
  if (tier === undefined) continue;
  tiers[tier].orders += 1;
  tiers[tier].revenue += amount[Number(o.order_id)] ?? 0;
}
const rows = Object.values(tiers)
  .map((t) => ({ ...t, revenue: Math.round(t.revenue * 100) / 100 }))
  .sort((a, b) => b.revenue - a.revenue || (a.tier < b.tier ? -1 : 1));
const out = ["tier,customers,orders,revenue"];
for (const r of rows) out.push([r.tier, r.customers, r.orders, r.revenue.toFixed(2)].join(","));
fs.mkdirSync("out", { recursive: true });
fs.writeFileSync("out/tier_summary.csv", out.join("\n") + "\n");
