const lines = fs.readFileSync("requests.csv", "utf8").trim().split("\n");
const header = lines[0].split(",");
const statusAt = header.indexOf("status");
const counts = {};
for (const line of lines.slice(1)) {
  const cls = line.split(",")[statusAt][0] + "xx";
  counts[cls] = (counts[cls] ?? 0) + 1;
}
const total = lines.length - 1;
const rows = Object.keys(counts).sort().map((c) => ({
  status_class: c,
  requests: counts[c],
  pct: Math.round((10000 * counts[c]) / total) / 100,
}));
console.log(JSON.stringify(rows));
