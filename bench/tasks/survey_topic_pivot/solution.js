function readCsv(file) {
  const lines = fs.readFileSync(file, "utf8").trim().split("\n");
  const header = lines[0].split(",");
  return lines.slice(1).map((line) => {
    const cells = line.split(",");
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""]));
  });
}
const topics = ["manager", "workload", "growth", "culture", "tools"];
const topicOf = new Map();
for (const q of JSON.parse(fs.readFileSync("questions.json", "utf8"))) {
  if (q.scale === "likert") topicOf.set(q.question_id, q.topic);
}
const deptOf = new Map(readCsv("respondents.csv").map((r) => [r.respondent_id, r.department.toLowerCase()]));
const sums = new Map();
for (const a of readCsv("answers.csv")) {
  const topic = topicOf.get(a.question_id);
  if (!topic || a.answer === "") continue;
  const dept = deptOf.get(a.respondent_id);
  if (!sums.has(dept)) sums.set(dept, {});
  const s = sums.get(dept);
  s[topic] = s[topic] ?? { n: 0, sum: 0 };
  s[topic].n += 1;
  s[topic].sum += Number(a.answer);
}
const rows = [...sums.keys()].sort().map((department) => {
  const row = { department };
  for (const t of topics) {
    const s = sums.get(department)[t];
    row[t] = s ? Math.round((100 * s.sum) / s.n) / 100 : null;
  }
  return row;
});
console.log(JSON.stringify(rows));
