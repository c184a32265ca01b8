const lines = fs.readFileSync("sales.csv", "utf8").trim().split("\n");
const header = lines[0].split(",");
const weeks = {};
for (const line of lines.slice(1)) {
  const cells = line.split(",");
  const row = Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  const d = new Date(row.date + "T00:00:00Z");
  const back = (d.getUTCDay() + 6) % 7; // days since Monday
  const monday = new Date(d.getTime() - back * 86400000).toISOString().slice(0, 10);
  const w = (weeks[monday] ??= { week_start: monday, orders: 0, units: 0, revenue: 0 });
  w.orders += 1;
  w.units += Number(row.units);
  w.revenue += Number(row.units) * Number(row.unit_price);
}
const out = ["week_start,orders,units,revenue"];
for (const k of Object.keys(weeks).sort()) {
  const w = weeks[k];
  out.push([w.week_start, w.orders, w.units, (Math.round(w.revenue * 100) / 100).toFixed(2)].join(","));
}
fs.mkdirSync("out", { recursive: true });
fs.writeFileSync("out/weekly_revenue.csv", out.join("\n") + "\n");
