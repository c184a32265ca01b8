function readCsv(file) {
  const lines = fs.readFileSync(file, "utf8").trim().split("\n");
  const header = lines[0].split(",");
  return lines.slice(1).map((line) => {
    const cells = line.split(",");
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""]));
  });
}
const nps = new Set(JSON.parse(fs.readFileSync("questions.json", "utf8"))
  .filter((q) => q.scale === "nps").map((q) => q.question_id));
const locOf = new Map(readCsv("respondents.csv").map((r) => [r.respondent_id, r.location.toLowerCase()]));
const byLoc = new Map();
for (const a of readCsv("answers.csv")) {
  if (!nps.has(a.question_id) || a.answer === "") continue;
  const loc = locOf.get(a.respondent_id);
  const s = byLoc.get(loc) ?? { n: 0, p: 0, d: 0 };
  const v = Number(a.answer);
  s.n += 1;
  if (v >= 9) s.p += 1;
  if (v <= 6) s.d += 1;
  byLoc.set(loc, s);
}
const r2 = (x) => Math.round(x * 100) / 100;
const rows = [...byLoc.entries()]
  .map(([location, s]) => {
    const p = (100 * s.p) / s.n;
    const d = (100 * s.d) / s.n;
    return { location, ratings: s.n, promoters_pct: r2(p), detractors_pct: r2(d), enps: p - d };
  })
  .sort((a, b) => b.enps - a.enps || (a.location < b.location ? -1 : 1))
  .map((r) => ({ ...r, enps: r2(r.enps) }));
console.log(JSON.stringify(rows));
