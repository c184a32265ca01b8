// Scanners wrote day/month until a firmware update and month/day after it. Scans arrive in order, so
// the first scan whose second field cannot be a month (above 12) is where the switch happened.
const scans = readCSV("scans.csv");
const offsets = Object.fromEntries(readCSV("depots.csv").map((d) => [d.depot, d.utc_offset]));
const switchAt = scans.findIndex((s) => Number(s.scanned.slice(3, 5)) > 12);
for (const [i, s] of scans.entries()) {
  const [a, b, year] = s.scanned.slice(0, 10).split("/");
  const [month, day] = i >= switchAt ? [a, b] : [b, a];
  s.localDay = `${year}-${month}-${day}`;
  s.at = Date.parse(`${s.localDay}T${s.scanned.slice(11, 16)}:00${offsets[s.depot]}`);
}

const pickup = new Map();
for (const s of scans) if (s.event === "PICKUP") pickup.set(s.parcel, s);
const routes = new Map();
for (const s of scans) {
  if (s.event !== "DELIVERED") continue;
  const p = pickup.get(s.parcel);
  const key = `${p.depot} ${s.depot}`;
  if (!routes.has(key)) routes.set(key, []);
  routes.get(key).push((s.at - p.at) / 3600000);
}
const median = (xs) => {
  const v = [...xs].sort((x, y) => x - y);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const rows = [...routes].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, hours]) => {
  const [origin, destination] = key.split(" ");
  return { origin, destination, parcels: hours.length, median_hours: Math.round(median(hours) * 10) / 10 };
});
console.log(JSON.stringify(rows));
