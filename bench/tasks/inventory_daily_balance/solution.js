const items = JSON.parse(fs.readFileSync("items.json", "utf8"));
const start = Object.fromEntries(items.map((it) => [it.sku, it.stock]));
const daily = {};
for (const line of fs.readFileSync("movements.jsonl", "utf8").split("\n")) {
  if (!line.trim()) continue;
  const m = JSON.parse(line);
  const key = m.sku + "|" + m.day;
  daily[key] = (daily[key] ?? 0) + m.delta;
}
const keys = Object.keys(daily).sort();
const rows = [];
const balance = {};
for (const key of keys) {
  const [sku, day] = key.split("|");
  balance[sku] = (balance[sku] ?? start[sku]) + daily[key];
  rows.push({ sku, day, net_delta: daily[key], balance: balance[sku] });
}
console.log(JSON.stringify(rows));
