const weeks = {};
for (const line of fs.readFileSync("movements.jsonl", "utf8").split("\n")) {
  if (!line.trim()) continue;
  const m = JSON.parse(line);
  const d = new Date(m.day + "T00:00:00Z");
  const back = (d.getUTCDay() + 6) % 7; // days since Monday
  const monday = new Date(d.getTime() - back * 86400000).toISOString().slice(0, 10);
  const w = (weeks[monday] ??= { week_start: monday, movements: 0, units_in: 0, units_out: 0, net: 0 });
  w.movements += 1;
  if (m.delta > 0) w.units_in += m.delta;
  else w.units_out -= m.delta;
  w.net += m.delta;
}
const rows = Object.keys(weeks).sort().map((k) => weeks[k]);
console.log(JSON.stringify(rows));
