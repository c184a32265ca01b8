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
const products = {};
for (const p of JSON.parse(fs.readFileSync("products.json", "utf8"))) products[p.sku] = p;
const units = {};
for (const line of fs.readFileSync("order_items.jsonl", "utf8").split("\n")) {
  if (!line.trim()) continue;
  const it = JSON.parse(line);
  const s = status[it.order_id];
  if (s === undefined || s === "cancelled" || !(it.sku in products)) continue;
  units[it.sku] = (units[it.sku] ?? 0) + it.qty;
}
const byCat = {};
for (const [sku, n] of Object.entries(units)) {
  const p = products[sku];
  (byCat[p.category] ??= []).push({ sku, name: p.name, units: n });
}
const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const rows = [];
for (const category of Object.keys(byCat).sort(cmp)) {
  byCat[category]
    .sort((a, b) => b.units - a.units || cmp(a.sku, b.sku))
    .slice(0, 2)
    .forEach((p, i) => rows.push({ category, pos: i + 1, sku: p.sku, name: p.name, units: p.units }));
}
console.log(JSON.stringify(rows));
