const lines = fs.readFileSync("sales.csv", "utf8").trim().split("\n");
const header = lines[0].split(",");
const totals = {};
for (const line of lines.slice(1)) {
  const row = Object.fromEntries(line.split(",").map((v, i) => [header[i], v]));
  totals[row.region] = (totals[row.region] ?? 0) + Number(row.units) * Number(row.unit_price);
}
const rows = Object.entries(totals)
  .map(([region, revenue]) => ({ region, revenue: Math.round(revenue * 100) / 100 }))
  .sort((a, b) => b.revenue - a.revenue);
console.log(JSON.stringify(rows));
