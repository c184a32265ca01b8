const lines = fs.readFileSync("requests.csv", "utf8").trim().split("\n");
const header = lines[0].split(",");
const u = header.indexOf("user_id");
const b = header.indexOf("bytes");
const users = new Map();
for (const line of lines.slice(1)) {
  const cells = line.split(",");
  if (cells[u] === "" || cells[u] === undefined) continue;
  const id = Number(cells[u]);
  const t = users.get(id) ?? { user_id: id, requests: 0, total_bytes: 0 };
  t.requests += 1;
  t.total_bytes += Number(cells[b]);
  users.set(id, t);
}
const rows = [...users.values()]
  .sort((x, y) => y.total_bytes - x.total_bytes || x.user_id - y.user_id)
  .slice(0, 5);
console.log(JSON.stringify(rows));
