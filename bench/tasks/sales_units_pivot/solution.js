const lines = fs.readFileSync("sales.csv", "utf8").trim().split("\n");
const header = lines[0].split(",");
const products = ["doohickey", "gadget", "gizmo", "widget"];
const byMonth = {};
for (const line of lines.slice(1)) {
  const cells = line.split(",");
  const row = Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  const month = row.date.slice(0, 7);
  const m = (byMonth[month] ??= { month, doohickey: 0, gadget: 0, gizmo: 0, widget: 0, total: 0 });
  m[row.product] += Number(row.units);
  m.total += Number(row.units);
}
const rows = Object.keys(byMonth).sort().map((k) => byMonth[k]);
console.log(JSON.stringify(rows));
