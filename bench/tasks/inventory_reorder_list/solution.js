const items = JSON.parse(fs.readFileSync("items.json", "utf8"));
const net = {};
for (const line of fs.readFileSync("movements.jsonl", "utf8").split("\n")) {
  if (!line.trim()) continue;
  const m = JSON.parse(line);
  net[m.sku] = (net[m.sku] ?? 0) + m.delta;
}
const rows = [];
for (const it of items) {
  const current = it.stock + (net[it.sku] ?? 0);
  if (current <= it.reorder_at) {
    rows.push({
      sku: it.sku,
      name: it.name,
      category: it.category,
      current_stock: current,
      reorder_at: it.reorder_at,
      order_qty: 2 * it.reorder_at - current,
    });
  }
}
rows.sort((a, b) => b.order_qty - a.order_qty || (a.sku < b.sku ? -1 : 1));
console.log(JSON.stringify(rows));
