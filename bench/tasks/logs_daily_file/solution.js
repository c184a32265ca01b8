const lines = fs.readFileSync("requests.csv", "utf8").trim().split("\n");
const header = lines[0].split(",");
const col = Object.fromEntries(header.map((h, i) => [h, i]));
const days = new Map();
for (const line of lines.slice(1)) {
  const c = line.split(",");
  const day = c[col.ts].slice(0, 10);
  const d = days.get(day) ?? { requests: 0, users: new Set(), post: 0, latency: 0 };
  d.requests += 1;
  if (c[col.user_id]) d.users.add(c[col.user_id]);
  if (c[col.method].toUpperCase() === "POST") d.post += 1;
  d.latency += Number(c[col.latency_ms]);
  days.set(day, d);
}
const out = ["day,requests,unique_users,post_requests,avg_latency_ms"];
for (const day of [...days.keys()].sort()) {
  const d = days.get(day);
  const avg = Math.round((d.latency / d.requests) * 100) / 100;
  out.push([day, d.requests, d.users.size, d.post, avg].join(","));
}
fs.mkdirSync("out", { recursive: true });
fs.writeFileSync("out/daily.csv", out.join("\n") + "\n");
