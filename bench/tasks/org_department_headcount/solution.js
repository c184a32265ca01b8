const lines = fs.readFileSync("employees.csv", "utf8").trim().split("\n");
const header = lines[0].split(",");
const byDept = new Map();
for (const line of lines.slice(1)) {
  const c = line.split(",");
  const dept = c[header.indexOf("department")];
  const salary = c[header.indexOf("salary")];
  const d = byDept.get(dept) ?? { headcount: 0, salaried: 0, total: 0 };
  d.headcount += 1;
  if (salary !== "" && salary !== undefined) {
    d.salaried += 1;
    d.total += Number(salary);
  }
  byDept.set(dept, d);
}
const rows = [...byDept.entries()]
  .map(([department, d]) => ({
    department,
    headcount: d.headcount,
    salaried: d.salaried,
    avg_salary: Math.round((100 * d.total) / d.salaried) / 100,
  }))
  .sort((a, b) => b.headcount - a.headcount || (a.department < b.department ? -1 : 1));
console.log(JSON.stringify(rows));
