# The toolcalls reference: each yield is one turn of tool calls made side by side; it gets their results.
import json


def solve():
    (first,) = yield [("crm_searchCustomers", {"tier": "gold"})]
    gold = list(first["customers"])
    if first["pages"] > 1:
        for page in (yield [("crm_searchCustomers", {"tier": "gold", "page": p})
                            for p in range(2, first["pages"] + 1)]):
            gold += page["customers"]
    tickets = yield [("crm_getTickets", {"customer_id": c["id"]}) for c in gold]
    open_by = {c["id"]: [t for t in found if t["status"] == "open"]
               for c, found in zip(gold, tickets, strict=True)}
    wanted = [cid for cid, found in open_by.items() if found]
    orders = yield [("crm_getOrders", {"customer_id": cid}) for cid in wanted]
    sku_of = {o["id"]: o["sku"] for found in orders for o in found}
    skus = sorted({sku_of[t["order_id"]] for cid in wanted for t in open_by[cid]})
    products = yield [("crm_getProduct", {"sku": sku}) for sku in skus]
    category = {p["sku"]: p["category"] for p in products}
    counts = {}
    for cid in wanted:
        for t in open_by[cid]:
            name = category[sku_of[t["order_id"]]]
            counts[name] = counts.get(name, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    rows = [{"category": k, "open_tickets": v} for k, v in ranked]
    yield [("write_file", {"path": "answer.json", "content": json.dumps(rows)})]
