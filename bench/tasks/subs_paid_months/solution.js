// Some accounts are billed yearly: one invoice for twelve months at the monthly list price. An
// invoice's months are its net amount over the monthly price; net is amount - tax before the billing
// migration of 2024-05-01 (amount held the tax), amount after.
const price = new Map(readCSV("prices.csv", { typed: false }).map((p) => [`${p.plan} ${p.currency}`, Number(p.monthly_price)]));
const months = new Map();
for (const i of readCSV("invoices.csv", { typed: false })) {
  const net = i.issued < "2024-05-01" ? Number(i.amount) - Number(i.tax) : Number(i.amount);
  const n = Math.round(net / price.get(`${i.plan} ${i.currency}`));
  let y = Number(i.issued.slice(0, 4));
  let m = Number(i.issued.slice(5, 7));
  for (let k = 0; k < n; k++) {
    const key = `${y}-${String(m).padStart(2, "0")}`;
    if (y === 2024) {
      if (!months.has(key)) months.set(key, new Set());
      months.get(key).add(i.account_id);
    }
    m += 1;
    if (m === 13) { m = 1; y += 1; }
  }
}
const rows = [...months].sort(([a], [b]) => (a < b ? -1 : 1)).map(([month, s]) => ({ month, accounts: s.size }));
console.log(JSON.stringify(rows));
