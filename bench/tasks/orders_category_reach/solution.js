const byCategory = new Map();
for (const order of readJSON("orders.json")) {
  if (order.status === "cancelled") continue;
  for (const line of order.lines) {
    const c = byCategory.get(line.category) ?? { orders: new Set(), customers: new Set(), units: 0 };
    c.orders.add(order.id);
    c.customers.add(order.customer.id);
    c.units += line.qty;
    byCategory.set(line.category, c);
  }
}
const rows = [...byCategory]
  .map(([category, c]) => ({ category, orders: c.orders.size, customers: c.customers.size, units: c.units }))
  .sort((a, b) => (a.category < b.category ? -1 : 1));
console.log(JSON.stringify(rows));
