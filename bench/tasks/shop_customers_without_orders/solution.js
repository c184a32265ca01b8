function readCsv(name) {
  const lines = fs.readFileSync(name, "utf8").split(/\r?\n/).filter((l) => l !== "");
  const header = lines[0].split(",");
  return lines.slice(1).map((l) => {
    const cells = l.split(",");
    return Object.fromEntries(header.map((h, i) => [h, cells[i] === "" ? null : cells[i]]));
  });
}
const buyers = new Set(readCsv("orders.csv").map((o) => Number(o.customer_id)));
const rows = readCsv("customers.csv")
  .filter((c) => !buyers.has(Number(c.id)))
  .map((c) => ({ id: Number(c.id), name: c.name, country: c.country, signup_date: c.signup_date }))
  .sort((a, b) => a.id - b.id);
console.log(JSON.stringify(rows));
