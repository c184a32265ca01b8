const byCountry = new Map();
for (const order of readJSON("orders.json")) {
  if (order.status === "cancelled") continue;
  const c = byCountry.get(order.customer.country) ?? { orders: 0, units: 0, revenue: 0 };
  c.orders += 1;
  for (const line of order.lines) {
    c.units += line.qty;
    c.revenue += line.qty * line.price - (line.discount ?? 0);
  }
  byCountry.set(order.customer.country, c);
}
const rows = [...byCountry]
  .map(([country, c]) => ({ country, orders: c.orders, units: c.units, revenue: Math.round(c.revenue * 100) / 100 }))
  .sort((a, b) => b.revenue - a.revenue || a.country.localeCompare(b.country));
console.log(JSON.stringify(rows));
