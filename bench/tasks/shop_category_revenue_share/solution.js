function readCsv(name) {
  const lines = fs.readFileSync(name, "utf8").split(/\r?\n/).filter((l) => l !== "");
  const header = lines[0].split(",");
  return lines.slice(1).map((l) => {
    const cells = l.split(",");
    return Object.fromEntries(header.map((h, i) => [h, cells[i] === "" ? null : cells[i]]));
  });
}
const status = {};
for (const o of readCsv("orders.csv")) status[Number(o.order_id)] = o.status;
const category = {};
for (const p of JSON.parse(fs.readFileSync("products.json", "utf8"))) category[p.sku] = p.category;
const cats = {};
let total = 0;
for (const line of fs.readFileSync("order_items.jsonl", "utf8").split("\n")) {
  if (!line.trim()) continue;
  const it = JSON.parse(line);
  const s = status[it.order_id];
  if (s === undefined || s === "cancelled" || s === "returned") continue;
  const cat = category[it.sku];
  if (cat === undefined) continue;
  const c = (cats[cat] ??= { category: cat, units: 0, amount: 0 });
  c.units += it.qty;
  c.amount += it.qty * it.unit_price;
  total += it.qty * it.unit_price;
}
const rows = Object.values(cats)
  .sort((a, b) => b.amount - a.amount || (a.category < b.category ? -1 : 1))
  .map((c) => ({
    category: c.category,
    units: c.units,
    revenue: Math.round(c.amount * 100) / 100,
    share_pct: Math.round((1000 * c.amount) / total) / 10,
  }));
console.log(JSON.stringify(rows));
