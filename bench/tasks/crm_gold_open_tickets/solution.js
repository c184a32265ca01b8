const gold = [];
for (let page = 1, pages = 1; page <= pages; page++) {
  const found = crm.searchCustomers({ tier: "gold", page });
  pages = found.pages;
  gold.push(...found.customers);
}
const categories = {};
const counts = {};
for (const c of gold) {
  const open = crm.getTickets(c.id).filter((t) => t.status === "open");
  if (open.length === 0) continue;
  const skuOf = Object.fromEntries(crm.getOrders(c.id).map((o) => [o.id, o.sku]));
  for (const t of open) {
    const sku = skuOf[t.order_id];
    categories[sku] ??= crm.getProduct(sku).category;
    counts[categories[sku]] = (counts[categories[sku]] || 0) + 1;
  }
}
const rows = Object.entries(counts)
  .map(([category, open_tickets]) => ({ category, open_tickets }))
  .sort((a, b) => b.open_tickets - a.open_tickets || a.category.localeCompare(b.category));
console.log(JSON.stringify(rows));
