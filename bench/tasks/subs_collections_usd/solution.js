// The FX feed quotes AUD, EUR and GBP as dollars per unit and JPY as yen per dollar; on 2024-06-17 it
// turned EUR and GBP around (their series jump from ~1.1 and ~1.3 to ~0.9 and ~0.8 and stay there).
const usdPerUnit = new Map();
for (const r of readCSV("fx_rates.csv", { typed: false })) {
  const rate = Number(r.rate);
  const perDollar = r.currency === "JPY" || (["EUR", "GBP"].includes(r.currency) && r.day >= "2024-06-17");
  usdPerUnit.set(`${r.day} ${r.currency}`, perDollar ? 1 / rate : rate);
}
const months = new Map();
for (const p of readCSV("payments.csv", { typed: false })) {
  if (p.refund_of || p.received < "2024-01-01") continue;
  const amount = Number(p.amount);
  const usd = p.currency === "USD" ? amount : amount * usdPerUnit.get(`${p.received} ${p.currency}`);
  const month = p.received.slice(0, 7);
  months.set(month, (months.get(month) || 0) + usd);
}
const rows = [...months].sort(([a], [b]) => (a < b ? -1 : 1))
  .map(([month, usd]) => ({ month, usd: Math.round(usd * 100) / 100 }));
console.log(JSON.stringify(rows));
