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
const levels = [];
let frontier = children.get("") ?? [];
while (frontier.length) {
  const paid = frontier.filter((p) => p.salary !== "");
  const total = paid.reduce((s, p) => s + Number(p.salary), 0);
  levels.push({
    level: levels.length + 1,
    employees: frontier.length,
    avg_salary: Math.round((100 * total) / paid.length) / 100,
  });
  frontier = frontier.flatMap((p) => children.get(p.employee_id) ?? []);
}
console.log(JSON.stringify(levels));
