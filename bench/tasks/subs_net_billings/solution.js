// Until the billing system's migration on 2024-05-01, amount held the tax; from then it is net of tax.
const groups = new Map();
for (const i of readCSV("invoices.csv", { typed: false })) {
  if (i.issued < "2024-01-01") continue;
  const net = i.issued < "2024-05-01" ? Number(i.amount) - Number(i.tax) : Number(i.amount);
  const key = `${i.issued.slice(0, 7)} ${i.currency}`;
  groups.set(key, (groups.get(key) || 0) + net);
}
const rows = [...groups].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, net]) => {
  const [month, currency] = key.split(" ");
  return { month, currency, net: Math.round(net * 100) / 100 };
});
console.log(JSON.stringify(rows));
