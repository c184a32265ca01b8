const lines = fs.readFileSync("sales.csv", "utf8").trim().split("\n");
const header = lines[0].split(",");
const byMonth = {};
for (const line of lines.slice(1)) {
  const cells = line.split(",");
  const row = Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  const month = row.date.slice(0, 7);
  byMonth[month] = (byMonth[month] ?? 0) + Number(row.units) * Number(row.unit_price);
}
const round = (x, d) => Math.round(x * 10 ** d) / 10 ** d;
const months = Object.keys(byMonth).sort();
const rows = months.map((month, i) => {
  const revenue = byMonth[month];
  const prev = i > 0 ? byMonth[months[i - 1]] : null;
  return {
    month,
    revenue: round(revenue, 2),
    prev_revenue: prev === null ? null : round(prev, 2),
    change_pct: prev === null ? null : round((100 * (revenue - prev)) / prev, 1),
  };
});
console.log(JSON.stringify(rows));
