// The A100 meters have a five-digit register: after 99999.9 it starts again at 0.0. A step down
// between consecutive readings is a roll-over: the meter counted 100000 more than the difference.
const sites = new Map(readCSV("sites.csv").map((s) => [s.site, s]));
const siteOf = new Map(readCSV("meters.csv").map((m) => [m.meter, m.site]));
const tariffs = new Map(readCSV("tariffs.csv").map((t) => [t.tariff, t]));
const series = new Map();
for (const r of readCSV("readings.csv")) {
  if (r.read_at < "2024-11-01 00:00" || r.read_at > "2024-12-01 00:00") continue;
  if (!series.has(r.meter)) series.set(r.meter, []);
  series.get(r.meter).push(r);
}
const groups = new Map();
for (const [meter, rows] of series) {
  const site = sites.get(siteOf.get(meter));
  if (site.tariff !== "STANDARD" && site.tariff !== "E7") continue;
  if (site.region !== "Wales" && site.region !== "Scotland") continue;
  rows.sort((a, b) => (a.read_at < b.read_at ? -1 : a.read_at > b.read_at ? 1 : 0));
  let kwh = 0;
  for (let i = 1; i < rows.length; i++) {
    const step = rows[i].register - rows[i - 1].register;
    kwh += step < 0 ? step + 100000 : step;
  }
  const t = tariffs.get(site.tariff);
  const key = `${site.region}|${site.tariff}`;
  const g = groups.get(key) || { sites: 0, kwh: 0, pence: 0 };
  g.sites += 1;
  g.kwh += kwh;
  g.pence += kwh * t.unit_rate_p + 30 * t.standing_p_per_day;
  groups.set(key, g);
}
const out = [...groups].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, g]) => {
  const [region, tariff] = key.split("|");
  return { region, tariff, sites: g.sites, kwh: Math.round(g.kwh * 10) / 10, bill_gbp: Math.round(g.pence) / 100 };
});
console.log(JSON.stringify(out));
