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

const perDay = new Map();
for (const s of scans) {
  if (s.event === "DELIVERED") perDay.set(s.localDay, (perDay.get(s.localDay) || 0) + 1);
}
const rows = [...perDay].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, delivered]) => ({ day, delivered }));
console.log(JSON.stringify(rows));
