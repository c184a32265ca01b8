const lines = fs.readFileSync("employees.csv", "utf8").trim().split("\n");
const header = lines[0].split(",");
const people = lines.slice(1).map((line) => {
  const c = line.split(",");
  const r = Object.fromEntries(header.map((h, i) => [h, c[i] ?? ""]));
  return {
    id: Number(r.employee_id),
    name: r.name,
    manager: r.manager_id === "" ? null : Number(r.manager_id),
    salary: r.salary === "" ? null : Number(r.salary),
  };
});
const byId = new Map(people.map((p) => [p.id, p]));
const rows = [];
for (const p of people) {
  const m = p.manager === null ? undefined : byId.get(p.manager);
  if (!m || p.salary === null || m.salary === null || p.salary <= m.salary) continue;
  rows.push({
    employee_id: p.id,
    name: p.name,
    salary: p.salary,
    manager_name: m.name,
    manager_salary: m.salary,
    difference: p.salary - m.salary,
  });
}
rows.sort((a, b) => b.difference - a.difference || a.employee_id - b.employee_id);
console.log(JSON.stringify(rows));
