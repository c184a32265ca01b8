// Split one CSV line, honouring double-quoted fields ("Hopper, Grace").
function splitCsv(line) {
  const out = [];
  let cur = "", quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") { out.push(cur); cur = ""; }
    else cur += ch;
  }
  out.push(cur);
  return out;
}
function readCsv(name) {
  const lines = fs.readFileSync(name, "utf8").split(/\r?\n/).filter((l) => l !== "");
  const header = splitCsv(lines[0]);
  return lines.slice(1).map((l) => {
    const cells = splitCsv(l);
    return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  });
}
const revenue = {};
for (const s of readCsv("sales.csv")) {
  revenue[s.region] = (revenue[s.region] ?? 0) + Number(s.units) * Number(s.unit_price);
}
const round = (x, d) => Math.round(x * 10 ** d) / 10 ** d;
const rows = readCsv("regions.csv").map((r) => {
  const total = revenue[r.region] ?? 0;
  const target = Number(r.target);
  return {
    region: r.region,
    manager: r.manager,
    target,
    revenue: round(total, 2),
    attainment_pct: round((100 * total) / target, 1),
  };
});
rows.sort((a, b) => b.attainment_pct - a.attainment_pct || (a.region < b.region ? -1 : 1));
console.log(JSON.stringify(rows));
