// The C300 meters' firmware began writing the register in MWh during November: in a meter's series
// the value falls to a thousandth of the one before. From that reading on, multiply by 1000.
const sites = new Map(readCSV("sites.csv").map((s) => [s.site, s]));
const siteOf = new Map(readCSV("meters.csv").map((m) => [m.meter, m.site]));
const series = new Map();
for (const r of readCSV("readings.csv")) {
  if (!series.has(r.meter)) series.set(r.meter, []);
  series.get(r.meter).push(r);
}
const byRegion = new Map();
for (const [meter, rows] of series) {
  const site = sites.get(siteOf.get(meter));
  if (site.tariff !== "BUSINESS") continue;
  rows.sort((a, b) => (a.read_at < b.read_at ? -1 : a.read_at > b.read_at ? 1 : 0));
  let factor = 1;
  let start = null;
  let end = null;
  for (let i = 0; i < rows.length; i++) {
    const prev = i > 0 ? rows[i - 1].register : null;
    if (prev !== null && rows[i].register < prev / 100 && rows[i].register * 1000 >= prev) factor = 1000;
    const reg = rows[i].register * factor;
    if (rows[i].read_at === "2024-11-01 00:00") start = reg;
    if (rows[i].read_at === "2024-12-01 00:00") end = reg;
  }
  const g = byRegion.get(site.region) || { sites: 0, kwh: 0 };
  g.sites += 1;
  g.kwh += end - start;
  byRegion.set(site.region, g);
}
const rows = [...byRegion].sort(([a], [b]) => (a < b ? -1 : 1))
  .map(([region, g]) => ({ region, sites: g.sites, kwh: Math.round(g.kwh * 10) / 10 }));
console.log(JSON.stringify(rows));
