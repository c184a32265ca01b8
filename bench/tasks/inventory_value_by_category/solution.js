const items = JSON.parse(fs.readFileSync("items.json", "utf8"));
const byCat = {};
for (const it of items) {
  const c = (byCat[it.category] ??= { category: it.category, items: 0, units: 0, stock_value: 0 });
  c.items += 1;
  c.units += it.stock;
  c.stock_value += it.stock * it.price;
}
const rows = Object.values(byCat)
  .map((c) => ({ ...c, stock_value: Math.round(c.stock_value * 100) / 100 }))
  .sort((a, b) => b.stock_value - a.stock_value || (a.category < b.category ? -1 : 1));
console.log(JSON.stringify(rows));
