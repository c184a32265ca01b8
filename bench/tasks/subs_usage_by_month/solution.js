// Devices number reports 1, 2, 3, ... and start again at 1 after a restart; a copy sent again repeats
// the seq of the device's previous row. A report is a row whose seq differs from the previous one.
const byDevice = new Map();
for (const r of readCSV("usage.csv", { typed: false })) {
  if (!byDevice.has(r.device_id)) byDevice.set(r.device_id, []);
  byDevice.get(r.device_id).push(r);
}
const months = new Map();
for (const rows of byDevice.values()) {
  rows.sort((a, b) => (a.sent < b.sent ? -1 : a.sent > b.sent ? 1 : 0));
  let prev = null;
  for (const r of rows) {
    if (r.seq !== prev) {
      const m = r.sent.slice(0, 7);
      const t = months.get(m) || { reports: 0, calls: 0 };
      t.reports += 1;
      t.calls += Number(r.calls);
      months.set(m, t);
    }
    prev = r.seq;
  }
}
const out = [...months].sort(([a], [b]) => (a < b ? -1 : 1))
  .map(([month, t]) => ({ month, reports: t.reports, calls: t.calls }));
console.log(JSON.stringify(out));
