// Two kinds of gateway: the newer ones report the fuel used since their last report; the older ones
// report a running total that starts again each day (a van's series only grows within a day and
// drops to a small value the next morning). For those vans a day's fuel is its last (largest)
// value; for the others it is the sum of the reports.
const depotOf = new Map(readCSV("vehicles.csv").map((v) => [v.vehicle_id, v.depot]));
const rows = readCSV("engine.csv").sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
const byVanDay = new Map();
for (const r of rows) {
  const key = `${r.vehicle_id}|${r.ts.slice(0, 10)}`;
  if (!byVanDay.has(key)) byVanDay.set(key, []);
  byVanDay.get(key).push(r.fuel_l);
}
const falls = new Map();
for (const [key, values] of byVanDay) {
  const van = key.split("|")[0];
  const down = values.some((v, i) => i > 0 && v < values[i - 1]);
  falls.set(van, (falls.get(van) ?? false) || down);
}
const groups = new Map();
for (const [key, values] of byVanDay) {
  const [van, day] = key.split("|");
  const litres = falls.get(van) ? values.reduce((a, b) => a + b, 0) : Math.max(...values);
  const gkey = `${depotOf.get(van)}|${day.slice(0, 7)}`;
  if (!groups.has(gkey)) groups.set(gkey, { vans: new Set(), litres: 0 });
  const g = groups.get(gkey);
  g.vans.add(van);
  g.litres += litres;
}
const out = [...groups].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, g]) => {
  const [depot, month] = key.split("|");
  return { depot, month, vans: g.vans.size, litres: Math.round(g.litres * 10) / 10 };
});
console.log(JSON.stringify(out));
