// When an engineer exchanges a meter, the meter point keeps its id: the old meter's removal read and the
// new meter's install read share one read_at. The step between those two is not energy; every other
// step between consecutive readings is.
const sites = new Map(readCSV("sites.csv").map((s) => [s.site, s]));
const siteOf = new Map(readCSV("meters.csv").map((m) => [m.meter, m.site]));
const series = new Map();
for (const r of readCSV("readings.csv")) {
  if (r.read_at < "2024-10-01 00:00" || r.read_at > "2024-11-01 00:00") continue;
  if (!series.has(r.meter)) series.set(r.meter, []);
  series.get(r.meter).push(r);
}
const out = [];
for (const [meter, rows] of series) {
  const site = sites.get(siteOf.get(meter));
  if (site.tariff !== "STANDARD" && site.tariff !== "E7") continue;
  rows.sort((a, b) => (a.read_at < b.read_at ? -1 : a.read_at > b.read_at ? 1 : 0));
  let kwh = 0;
  for (let i = 1; i < rows.length; i++) {
    if (rows[i].read_at !== rows[i - 1].read_at) kwh += rows[i].register - rows[i - 1].register;
  }
  out.push({ site: site.site, region: site.region, tariff: site.tariff, kwh });
}
out.sort((a, b) => b.kwh - a.kwh || (a.site < b.site ? -1 : 1));
console.log(JSON.stringify(out.slice(0, 15).map((r) => ({ ...r, kwh: Math.round(r.kwh * 10) / 10 }))));
