const items = JSON.parse(fs.readFileSync("items.json", "utf8"));
const net = {};
for (const line of fs.readFileSync("movements.jsonl", "utf8").split("\n")) {
  if (!line.trim()) continue;
  const m = JSON.parse(line);
  net[m.sku] = (net[m.sku] ?? 0) + m.delta;
}
const cats = {};
for (const it of items) {
  const current = it.stock + (net[it.sku] ?? 0);
  const c = (cats[it.category] ??= { category: it.category, items: 0, units: 0, stock_value: 0, low_items: 0 });
  c.items += 1;
  c.units += current;
  c.stock_value += current * it.price;
  if (current <= it.reorder_at) c.low_items += 1;
}
const rows = Object.keys(cats).sort().map((k) => ({
  ...cats[k],
  stock_value: Math.round(cats[k].stock_value * 100) / 100,
}));
fs.mkdirSync("out", { recursive: true });
fs.writeFileSync("out/category_snapshot.json", JSON.stringify(rows, null, 2));
