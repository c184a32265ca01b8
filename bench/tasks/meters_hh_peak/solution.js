// A meter that could not send for a while sends the energy of the half hours it missed together with
// its next half hour: a row whose previous half hour is missing covers more than one half hour and is
// not a half hour's use. (Re-sent rows repeat a row exactly; 01:00 and 01:30 on 27 October come twice
// because the clocks went back, and neither follows a gap.)
const siteOf = new Map(readCSV("meters.csv").map((m) => [m.meter, m.site]));
const rows = readCSV("halfhourly.csv");
const periods = new Set(rows.map((h) => `${h.meter}|${h.period}`));
const before = (p) => new Date(Date.parse(`${p.replace(" ", "T")}:00Z`) - 1800000).toISOString().slice(0, 16).replace("T", " ");
const best = new Map();
for (const h of rows) {
  if (h.period !== "2024-10-21 00:00" && !periods.has(`${h.meter}|${before(h.period)}`)) continue;
  const b = best.get(h.meter);
  if (!b || h.kwh > b.kwh || (h.kwh === b.kwh && h.period < b.period)) best.set(h.meter, h);
}
const out = [...best.values()].map((h) => ({ site: siteOf.get(h.meter), period: h.period, kwh: h.kwh }))
  .sort((a, b) => (a.site < b.site ? -1 : 1));
console.log(JSON.stringify(out));
