const lines = fs.readFileSync("orders.csv", "utf8").trim().split("\n");
const header = lines[0].split(",");
const counts = {};
let total = 0;
for (const line of lines.slice(1)) {
  const cells = line.split(",");
  const status = cells[header.indexOf("status")];
  counts[status] = (counts[status] ?? 0) + 1;
  total += 1;
}
const rows = Object.entries(counts)
  .map(([status, orders]) => ({ status, orders, share_pct: Math.round((1000 * orders) / total) / 10 }))
  .sort((a, b) => b.orders - a.orders || (a.status < b.status ? -1 : 1));
console.log(JSON.stringify(rows));
