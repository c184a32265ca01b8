// Each line's cost_eur is the job's running subtotal (it grows line by line, every job's last line is
// its Labour, and a line item can read far above what such an item costs): a job costs its last line.
const modelOf = new Map(readCSV("vehicles.csv").map((v) => [v.vehicle_id, v.model]));
const jobs = new Map();
for (const w of readCSV("workshop.csv")) {
  if (w.opened < "2024-02-01" || w.opened >= "2024-04-01") continue;
  const j = jobs.get(w.job_id);
  if (!j || w.line > j.line) jobs.set(w.job_id, w);
}
const models = new Map();
for (const j of jobs.values()) {
  const m = models.get(modelOf.get(j.vehicle_id)) ?? { jobs: 0, cost: 0 };
  m.jobs += 1;
  m.cost += j.cost_eur;
  models.set(modelOf.get(j.vehicle_id), m);
}
const rows = [...models].sort(([a], [b]) => (a < b ? -1 : 1))
  .map(([model, m]) => ({ model, jobs: m.jobs, cost_eur: Math.round(m.cost * 100) / 100 }));
console.log(JSON.stringify(rows));
