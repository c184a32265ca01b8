// From 1 March the provider's amounts leave VAT out: the price per litre at every station drops by
// exactly 1/1.21 overnight. Put the 21% back on those amounts.
const depotOf = new Map(readCSV("vehicles.csv").map((v) => [v.vehicle_id, v.depot]));
const groups = new Map();
for (const f of readCSV("fuel.csv")) {
  const key = `${depotOf.get(f.vehicle_id)}|${f.ts.slice(0, 7)}`;
  groups.set(key, (groups.get(key) ?? 0) + (f.ts >= "2024-03-01" ? f.amount_eur * 1.21 : f.amount_eur));
}
const rows = [...groups].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, cost]) => {
  const [depot, month] = key.split("|");
  return { depot, month, cost_eur: Math.round(cost * 100) / 100 };
});
console.log(JSON.stringify(rows));
