function readCsv(file) {
  const lines = fs.readFileSync(file, "utf8").trim().split("\n");
  const header = lines[0].split(",");
  return lines.slice(1).map((line) => {
    const cells = line.split(",");
    return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  });
}
const endpoints = new Map(readCsv("endpoints.csv").map((e) => [e.path, e]));
const byService = new Map();
for (const r of readCsv("requests.csv")) {
  const e = endpoints.get(r.path);
  if (!e) continue;
  const s = byService.get(e.service) ?? { latencies: [], misses: 0 };
  const latency = Number(r.latency_ms);
  s.latencies.push(latency);
  if (latency > Number(e.slo_ms)) s.misses += 1;
  byService.set(e.service, s);
}
const rows = [...byService.entries()].map(([service, s]) => {
  const sorted = s.latencies.slice().sort((a, b) => a - b);
  const pos = Math.ceil(0.95 * sorted.length);
  return { service, requests: sorted.length, p95_latency_ms: sorted[pos - 1], slo_misses: s.misses };
});
rows.sort((a, b) => b.p95_latency_ms - a.p95_latency_ms || (a.service < b.service ? -1 : 1));
console.log(JSON.stringify(rows));
