const lines = fs.readFileSync("employees.csv", "utf8").trim().split("\n");
const header = lines[0].split(",");
const people = lines.slice(1).map((line) => {
  const c = line.split(",");
  return Object.fromEntries(header.map((h, i) => [h, c[i] ?? ""]));
});
const children = new Map();
for (const p of people) {
  if (!children.has(p.manager_id)) children.set(p.manager_id, []);
  children.get(p.manager_id).push(p);
}
const ceo = people.find((p) => p.manager_id === "");
const rows = (children.get(ceo.employee_id) ?? []).map((x) => {
  let reports = 0;
  let payroll = Number(x.salary || 0);
  const stack = [...(children.get(x.employee_id) ?? [])];
  while (stack.length) {
    const p = stack.pop();
    reports += 1;
    payroll += Number(p.salary || 0);
    stack.push(...(children.get(p.employee_id) ?? []));
  }
  return { employee_id: Number(x.employee_id), name: x.name, title: x.title, reports, payroll };
});
rows.sort((a, b) => b.reports - a.reports || a.employee_id - b.employee_id);
console.log(JSON.stringify(rows));
