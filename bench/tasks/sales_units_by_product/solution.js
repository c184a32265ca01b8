const lines = fs.readFileSync("sales.csv", "utf8").trim().split("\n");
const header = lines[0].split(",");
const byProduct = {};
for (const line of lines.slice(1)) {
  const cells = line.split(",");
  const row = Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  const p = (byProduct[row.product] ??= { product: row.product, orders: 0, units: 0 });
  p.orders += 1;
  p.units += Number(row.units);
}
const rows = Object.values(byProduct).sort(
  (a, b) => b.units - a.units || (a.product < b.product ? -1 : a.product > b.product ? 1 : 0));
console.log(JSON.stringify(rows));
