const customers = [];
for (let page = 1, pages = 1; page <= pages; page++) {
  const found = crm.searchCustomers({ country: "NL", page });
  pages = found.pages;
  customers.push(...found.customers);
}
const prices = {};
const byTier = {};
for (const c of customers) {
  const orders = crm.getOrders({ customer_id: c.id, status: "delivered" });
  if (orders.length === 0) continue;
  const t = (byTier[c.tier] ??= { tier: c.tier, customers: 0, revenue: 0 });
  t.customers += 1;
  for (const o of orders) {
    prices[o.sku] ??= crm.getProduct(o.sku).price;
    t.revenue += o.qty * prices[o.sku];
  }
}
const rows = Object.values(byTier)
  .map((t) => ({ ...t, revenue: Math.round(t.revenue * 100) / 100 }))
  .sort((a, b) => b.revenue - a.revenue);
console.log(JSON.stringify(rows));
