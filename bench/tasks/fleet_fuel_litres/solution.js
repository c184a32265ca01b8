// The Viadotto stations' pumps report US gallons: their amount per unit of quantity is about 3.79 times
// every other station's price per litre, on the same days. Convert their quantity to litres.
const depotOf = new Map(readCSV("vehicles.csv").map((v) => [v.vehicle_id, v.depot]));
const brandOf = new Map(readCSV("stations.csv").map((s) => [s.station_id, s.brand]));
const groups = new Map();
for (const f of readCSV("fuel.csv")) {
  const key = `${depotOf.get(f.vehicle_id)}|${f.ts.slice(0, 7)}`;
  const g = groups.get(key) ?? { fills: 0, litres: 0 };
  g.fills += 1;
  g.litres += brandOf.get(f.station_id) === "Viadotto" ? f.quantity * 3.785411784 : f.quantity;
  groups.set(key, g);
}
const rows = [...groups].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, g]) => {
  const [depot, month] = key.split("|");
  return { depot, month, fills: g.fills, litres: Math.round(g.litres) };
});
console.log(JSON.stringify(rows));
