// Ohmio's cloud writes each half hour's END, the other brands its start: an Ohmio charger waiting for
// the off-peak window shows energy from 01:00 to 04:30, the others from 00:30 to 04:00, and a car
// plugged in at 18:37 shows its first, part-filled half hour at 19:00 on an Ohmio, at 18:30 elsewhere.
const regionOf = new Map(readCSV("sites.csv").map((s) => [s.site, s.region]));
const charger = new Map(readCSV("chargers.csv").map((c) => [c.charger, c]));
const pad = (n) => String(n).padStart(2, "0");
const minus30 = (p) => {
  const d = new Date(Date.parse(`${p.replace(" ", "T")}:00Z`) - 30 * 60000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};
const groups = new Map();
for (const e of readCSV("ev_halfhours.csv")) {
  const c = charger.get(e.charger);
  const start = c.brand === "Ohmio" ? minus30(e.period) : e.period;
  if (start < "2024-11-01" || start >= "2024-12-01") continue;
  const region = regionOf.get(c.site);
  if (!groups.has(region)) groups.set(region, { chargers: new Set(), off: 0, peak: 0 });
  const g = groups.get(region);
  g.chargers.add(e.charger);
  const hm = start.slice(11);
  if (hm >= "00:30" && hm < "04:30") g.off += e.kwh;
  else g.peak += e.kwh;
}
const round1 = (x) => Math.round(x * 10) / 10;
const out = [...groups].sort(([a], [b]) => (a < b ? -1 : 1)).map(([region, g]) => (
  { region, chargers: g.chargers.size, offpeak_kwh: round1(g.off), peak_kwh: round1(g.peak) }));
console.log(JSON.stringify(out));
