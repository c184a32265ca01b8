// Ids of closed accounts were given to new customers: invoices from before the customer opened the
// account belong to the customer who held the id before.
const accounts = new Map(readCSV("accounts.csv", { typed: false }).map((a) => [a.account_id, a]));
const counts = new Map();
for (const a of accounts.values()) {
  const c = counts.get(a.country) || { customers: 0, invoices: 0 };
  c.customers += 1;
  counts.set(a.country, c);
}
for (const i of readCSV("invoices.csv", { typed: false })) {
  const a = accounts.get(i.account_id);
  if (a && i.issued >= a.opened) counts.get(a.country).invoices += 1;
}
const rows = [...counts].sort(([a], [b]) => (a < b ? -1 : 1))
  .map(([country, c]) => ({ country, customers: c.customers, invoices: c.invoices }));
console.log(JSON.stringify(rows));
