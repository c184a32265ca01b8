// Gateways re-send batches hours later: the same meter, period and kwh again. Those count once. The
// clocks went back at 02:00 on 27 October, so 01:00 and 01:30 that day come twice with different kwh:
// two half hours, both count.
const sites = new Map(readCSV("sites.csv").map((s) => [s.site, s]));
const siteOf = new Map(readCSV("meters.csv").map((m) => [m.meter, m.site]));
const seen = new Set();
const total = new Map();
for (const h of readCSV("halfhourly.csv")) {
  const key = `${h.meter}|${h.period}|${h.kwh}`;
  if (seen.has(key)) continue;
  seen.add(key);
  const site = siteOf.get(h.meter);
  total.set(site, (total.get(site) || 0) + h.kwh);
}
const rows = [...total].sort(([a], [b]) => (a < b ? -1 : 1))
  .map(([site, kwh]) => ({ site, region: sites.get(site).region, kwh: Math.round(kwh * 10) / 10 }));
console.log(JSON.stringify(rows));
