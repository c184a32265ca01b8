# The toolcalls reference: each yield is one turn of tool calls made side by side; it gets their results.
import json


def solve():
    (first,) = yield [("crm_searchCustomers", {"country": "NL"})]
    customers = list(first["customers"])
    if first["pages"] > 1:
        for page in (yield [("crm_searchCustomers", {"country": "NL", "page": p})
                            for p in range(2, first["pages"] + 1)]):
            customers += page["customers"]
    orders = yield [("crm_getOrders", {"customer_id": c["id"], "status": "delivered"}) for c in customers]
    skus = sorted({o["sku"] for found in orders for o in found})
    products = yield [("crm_getProduct", {"sku": sku}) for sku in skus]
    price = {p["sku"]: p["price"] for p in products}
    tiers = {}
    for c, found in zip(customers, orders, strict=True):
        if found:
            t = tiers.setdefault(c["tier"], {"tier": c["tier"], "customers": 0, "revenue": 0.0})
            t["customers"] += 1
            t["revenue"] += sum(o["qty"] * price[o["sku"]] for o in found)
    rows = sorted(({**t, "revenue": round(t["revenue"], 2)} for t in tiers.values()),
                  key=lambda t: -t["revenue"])
    yield [("write_file", {"path": "answer.json", "content": json.dumps(rows)})]
