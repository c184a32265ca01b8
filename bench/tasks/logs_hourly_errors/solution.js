const lines = fs.readFileSync("requests.csv", "utf8").trim().split("\n");
const header = lines[0].split(",");
const col = (name) => header.indexOf(name);
const byHour = new Map();
for (const line of lines.slice(1)) {
  const cells = line.split(",");
  const ts = cells[col("ts")];
  if (!ts.startsWith("2024-05-07")) continue;
  const hour = Number(ts.slice(11, 13));
  const h = byHour.get(hour) ?? { requests: 0, errors: 0 };
  h.requests += 1;
  if (Number(cells[col("status")]) >= 500) h.errors += 1;
  byHour.set(hour, h);
}
const rows = [...byHour.entries()]
  .sort((a, b) => a[0] - b[0])
  .map(([hour, h]) => ({
    hour,
    requests: h.requests,
    errors: h.errors,
    error_rate: Math.round((10000 * h.errors) / h.requests) / 100,
  }));
console.log(JSON.stringify(rows));
