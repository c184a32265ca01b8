function readCsv(name) {
  const lines = fs.readFileSync(name, "utf8").split(/\r?\n/).filter((l) => l !== "");
  const header = lines[0].split(",");
  return lines.slice(1).map((l) => {
    const cells = l.split(",");
    return Object.fromEntries(header.map((h, i) => [h, cells[i] === "" ? null : cells[i]]));
  });
}
const months = {}; // customer -> months with a kept order
for (const o of readCsv("orders.csv")) {
  if (o.status === "cancelled") continue;
  (months[o.customer_id] ??= []).push(o.order_date.slice(0, 7));
}
const cohorts = {};
for (const list of Object.values(months)) {
  list.sort();
  const first = list[0];
  const c = (cohorts[first] ??= { cohort_month: first, customers: 0, repeat_customers: 0 });
  c.customers += 1;
  if (list.some((m) => m > first)) c.repeat_customers += 1;
}
const rows = Object.keys(cohorts).sort().map((k) => ({
  ...cohorts[k],
  repeat_pct: Math.round((1000 * cohorts[k].repeat_customers) / cohorts[k].customers) / 10,
}));
console.log(JSON.stringify(rows));
