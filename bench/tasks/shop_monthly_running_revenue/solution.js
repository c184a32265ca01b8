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
const months = {};
for (const o of readCsv("orders.csv")) {
  if (o.status === "cancelled") continue;
  const a = amount[Number(o.order_id)];
  if (a === undefined) continue;
  const month = o.order_date.slice(0, 7);
  const m = (months[month] ??= { month, orders: 0, total: 0 });
  m.orders += 1;
  m.total += a;
}
let running = 0;
const round2 = (x) => Math.round(x * 100) / 100;
const rows = Object.keys(months).sort().map((k) => {
  running += months[k].total;
  return { month: k, orders: months[k].orders, revenue: round2(months[k].total), running_revenue: round2(running) };
});
console.log(JSON.stringify(rows));
