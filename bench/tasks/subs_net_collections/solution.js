// Refunds were negative until the processor's migration on 2024-08-01 and positive after it.
const groups = new Map();
for (const p of readCSV("payments.csv", { typed: false })) {
  if (p.received < "2024-01-01") continue;
  const amount = p.refund_of ? -Math.abs(Number(p.amount)) : Number(p.amount);
  const key = `${p.received.slice(0, 7)} ${p.currency}`;
  groups.set(key, (groups.get(key) || 0) + amount);
}
const rows = [...groups].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, net]) => {
  const [month, currency] = key.split(" ");
  return { month, currency, net: Math.round(net * 100) / 100 };
});
console.log(JSON.stringify(rows));
