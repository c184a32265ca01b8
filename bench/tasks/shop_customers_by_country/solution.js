const lines = fs.readFileSync("customers.csv", "utf8").split(/\r?\n/).filter((l) => l !== "");
const header = lines[0].split(",");
const at = header.indexOf("country");
const counts = {};
for (const line of lines.slice(1)) {
  const country = line.split(",")[at] || "unknown";
  counts[country] = (counts[country] ?? 0) + 1;
}
const rows = Object.entries(counts)
  .map(([country, customers]) => ({ country, customers }))
  .sort((a, b) => b.customers - a.customers || (a.country < b.country ? -1 : 1));
console.log(JSON.stringify(rows));
