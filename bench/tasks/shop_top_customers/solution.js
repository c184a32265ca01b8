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
const names = {};
for (const c of readCsv("customers.csv")) names[Number(c.id)] = c.name;
const per = {};
for (const o of readCsv("orders.csv")) {
  if (o.status !== "delivered" && o.status !== "shipped") continue;
  const id = Number(o.customer_id);
  const a = amount[Number(o.order_id)];
  if (a === undefined || !(id in names)) continue;
  const p = (per[id] ??= { customer_id: id, name: names[id], orders: 0, total: 0 });
  p.orders += 1;
  p.total += a;
}
const rows = Object.values(per)
  .sort((a, b) => b.total - a.total || a.customer_id - b.customer_id)
  .slice(0, 5)
  .map((p) => ({ customer_id: p.customer_id, name: p.name, orders: p.orders, spend: Math.round(p.total * 100) / 100 }));
console.log(JSON.stringify(rows));
