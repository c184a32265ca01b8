function readCsv(file) {
  const lines = fs.readFileSync(file, "utf8").trim().split("\n");
  const header = lines[0].split(",");
  return lines.slice(1).map((line) => {
    const cells = line.split(",");
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""]));
  });
}
const questionCount = JSON.parse(fs.readFileSync("questions.json", "utf8")).length;
const answered = new Map();
for (const a of readCsv("answers.csv")) {
  if (a.answer === "") continue;
  if (!answered.has(a.respondent_id)) answered.set(a.respondent_id, new Set());
  answered.get(a.respondent_id).add(a.question_id);
}
const depts = new Map();
for (const r of readCsv("respondents.csv")) {
  const dept = r.department.toLowerCase();
  const d = depts.get(dept) ?? { respondents: 0, complete: 0 };
  d.respondents += 1;
  if ((answered.get(r.respondent_id)?.size ?? 0) === questionCount) d.complete += 1;
  depts.set(dept, d);
}
const rows = [...depts.keys()].sort().map((department) => {
  const d = depts.get(department);
  return {
    department,
    respondents: d.respondents,
    complete: d.complete,
    completion_rate: Math.round((10000 * d.complete) / d.respondents) / 100,
  };
});
fs.mkdirSync("out", { recursive: true });
fs.writeFileSync("out/completion.json", JSON.stringify(rows, null, 2));
