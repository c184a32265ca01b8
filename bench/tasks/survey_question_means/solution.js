const questions = JSON.parse(fs.readFileSync("questions.json", "utf8"));
const lines = fs.readFileSync("answers.csv", "utf8").trim().split("\n");
const header = lines[0].split(",");
const stats = new Map();
for (const line of lines.slice(1)) {
  const c = line.split(",");
  const value = c[header.indexOf("answer")];
  if (value === undefined || value === "") continue;
  const q = c[header.indexOf("question_id")];
  const s = stats.get(q) ?? { n: 0, sum: 0 };
  s.n += 1;
  s.sum += Number(value);
  stats.set(q, s);
}
const rows = questions
  .filter((q) => q.scale === "likert")
  .sort((a, b) => (a.question_id < b.question_id ? -1 : 1))
  .map((q) => {
    const s = stats.get(q.question_id);
    return {
      question_id: q.question_id,
      topic: q.topic,
      responses: s.n,
      mean_score: Math.round((100 * s.sum) / s.n) / 100,
    };
  });
console.log(JSON.stringify(rows));
