// From 14 October the RF head-end stamped its midnight reads in UTC: until the clocks went back on
// 27 October, local midnight reads as 23:00 the day before. A read at 23:00 is the next day's midnight
// read; reads at other times of day are an engineer's, not midnight reads.
const nextDay = (d) => new Date(Date.parse(`${d}T00:00:00Z`) + 86400000).toISOString().slice(0, 10);
const at = new Map(); // meter|day -> register at the midnight that starts the day
for (const r of readCSV("readings.csv")) {
  const time = r.read_at.slice(11, 16);
  if (time !== "00:00" && time !== "23:00") continue;
  const day = time === "23:00" ? nextDay(r.read_at.slice(0, 10)) : r.read_at.slice(0, 10);
  at.set(`${r.meter}|${day}`, r.register);
}
const perDay = new Map();
for (const [key, start] of at) {
  const [meter, day] = key.split("|");
  if (day < "2024-10-12" || day > "2024-10-31") continue;
  const end = at.get(`${meter}|${nextDay(day)}`);
  if (end === undefined) continue;
  const g = perDay.get(day) || { meters: 0, kwh: 0 };
  g.meters += 1;
  g.kwh += end - start;
  perDay.set(day, g);
}
const rows = [...perDay].sort(([a], [b]) => (a < b ? -1 : 1))
  .map(([day, g]) => ({ day, meters: g.meters, kwh: Math.round(g.kwh * 10) / 10 }));
console.log(JSON.stringify(rows));
