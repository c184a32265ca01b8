// Most trackers report the van's odometer. The older ones (no IGN_ON event) count from 0 each time they
// power up with the ignition: each trip's distance is its last reading minus its first, the first being
// the IGN_ON reading or, for an older tracker, 0. (No trip crosses a month's end.)
const depotOf = new Map(readCSV("vehicles.csv").map((v) => [v.vehicle_id, v.depot]));
const open = new Map(); // vehicle -> { began, start, last }
const depots = new Map();
for (const p of readCSV("pings.csv").sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0))) {
  let trip = open.get(p.vehicle_id);
  if (!trip) {
    trip = { began: p.ts, start: p.event === "IGN_ON" ? p.odometer_km : 0, last: p.odometer_km };
    open.set(p.vehicle_id, trip);
  }
  trip.last = Math.max(trip.last, p.odometer_km);
  if (p.event !== "IGN_OFF") continue;
  open.delete(p.vehicle_id);
  if (trip.began < "2024-02-01" || trip.began >= "2024-03-01") continue;
  const depot = depotOf.get(p.vehicle_id);
  const d = depots.get(depot) ?? { vans: new Set(), km: 0 };
  d.vans.add(p.vehicle_id);
  d.km += trip.last - trip.start;
  depots.set(depot, d);
}
const rows = [...depots].sort(([a], [b]) => (a < b ? -1 : 1))
  .map(([depot, d]) => ({ depot, vans: d.vans.size, km: Math.round(d.km * 10) / 10 }));
console.log(JSON.stringify(rows));
