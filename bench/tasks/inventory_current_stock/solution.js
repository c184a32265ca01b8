const items = JSON.parse(fs.readFileSync("items.json", "utf8"));
const net = {};
for (const line of fs.readFileSync("movements.jsonl", "utf8").split("\n")) {
  if (!line.trim()) continue;
  const m = JSON.parse(line);
  net[m.sku] = (net[m.sku] ?? 0) + m.delta;
}
const rows = items
  .map((it) => ({
    sku: it.sku,
    name: it.name,
    start_stock: it.stock,
    net_change: net[it.sku] ?? 0,
    current_stock: it.stock + (net[it.sku] ?? 0),
  }))
  .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
console.log(JSON.stringify(rows));
