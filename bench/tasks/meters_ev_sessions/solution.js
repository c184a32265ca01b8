// Voltra's backend closes a session at midnight and opens a new one: a row that starts at the very
// minute the same charger's previous row ended (00:00) continues that session.
const regionOf = new Map(readCSV("sites.csv").map((s) => [s.site, s.region]));
const siteOf = new Map(readCSV("chargers.csv").map((c) => [c.charger, c.site]));
const rows = readCSV("ev_sessions.csv").sort((a, b) =>
  a.charger < b.charger ? -1 : a.charger > b.charger ? 1 : a.plugged_in < b.plugged_in ? -1 : 1);
const sessions = [];
for (const r of rows) {
  const last = sessions[sessions.length - 1];
  if (last && last.charger === r.charger && last.unplugged === r.plugged_in) {
    last.unplugged = r.unplugged;
    last.kwh += r.kwh;
  } else {
    sessions.push({ charger: r.charger, plugged_in: r.plugged_in, unplugged: r.unplugged, kwh: r.kwh });
  }
}
const ms = (t) => Date.parse(`${t.replace(" ", "T")}:00Z`);
const groups = new Map();
for (const s of sessions) {
  if (s.plugged_in < "2024-11-01" || s.plugged_in >= "2024-12-01") continue;
  const region = regionOf.get(siteOf.get(s.charger));
  if (!groups.has(region)) groups.set(region, { n: 0, hours: 0, kwh: 0 });
  const g = groups.get(region);
  g.n += 1;
  g.hours += (ms(s.unplugged) - ms(s.plugged_in)) / 3600000;
  g.kwh += s.kwh;
}
const round2 = (x) => Math.round(x * 100) / 100;
const out = [...groups].sort(([a], [b]) => (a < b ? -1 : 1)).map(([region, g]) => (
  { region, sessions: g.n, hours: round2(g.hours / g.n), kwh: round2(g.kwh / g.n) }));
console.log(JSON.stringify(out));
