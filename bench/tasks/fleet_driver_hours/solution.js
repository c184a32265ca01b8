// The time clocks date a clock-out with the day its shift began: a night shift that ends after midnight
// reads as ending before it began. Such a clock-out is on the next day.
const drivers = new Map(readCSV("drivers.csv").map((d) => [d.driver_id, d]));
const at = (s) => Date.parse(`${s.replace(" ", "T")}:00Z`);
const totals = new Map();
for (const s of readCSV("shifts.csv")) {
  if (s.clock_in < "2024-02-01" || s.clock_in >= "2024-03-01") continue;
  let ms = at(s.clock_out) - at(s.clock_in);
  if (ms < 0) ms += 86400000;
  const t = totals.get(s.driver_id) ?? { shifts: 0, hours: 0 };
  t.shifts += 1;
  t.hours += ms / 3600000;
  totals.set(s.driver_id, t);
}
const rows = [...totals].sort(([, a], [, b]) => b.hours - a.hours).slice(0, 10).map(([id, t]) => {
  const d = drivers.get(id);
  return { driver_id: id, name: d.name, depot: d.depot, shifts: t.shifts, hours: Math.round(t.hours * 10) / 10 };
});
console.log(JSON.stringify(rows));
