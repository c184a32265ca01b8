// The dispatch app wrote local time until its migration and UTC from the trips of Monday 26 February on:
// a trip starts within two minutes of its van's ignition-on ping (UTC), an hour before its written
// start until then and at it after. Add the hour to the trips written in UTC.
const depotOf = new Map(readCSV("vehicles.csv").map((v) => [v.vehicle_id, v.depot]));
const counts = new Map();
for (const t of readCSV("trips.csv")) {
  let hour = Number(t.started.slice(11, 13));
  if (t.started >= "2024-02-26") hour = (hour + 1) % 24;
  const key = `${depotOf.get(t.vehicle_id)}|${String(hour).padStart(2, "0")}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
const rows = [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, trips]) => {
  const [depot, hour] = key.split("|");
  return { depot, hour: Number(hour), trips };
});
console.log(JSON.stringify(rows));
