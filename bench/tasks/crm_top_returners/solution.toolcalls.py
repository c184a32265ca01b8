# The toolcalls reference: each yield is one turn of tool calls made side by side; it gets their results.
import json


def solve():
    (first,) = yield [("crm_searchCustomers", {})]
    everyone = list(first["customers"])
    if first["pages"] > 1:
        for page in (yield [("crm_searchCustomers", {"page": p}) for p in range(2, first["pages"] + 1)]):
            everyone += page["customers"]
    returned = yield [("crm_getOrders", {"customer_id": c["id"], "status": "returned"}) for c in everyone]
    rows = [{"name": c["name"], "country": c["country"], "units": sum(o["qty"] for o in found)}
            for c, found in zip(everyone, returned, strict=True) if found]
    rows.sort(key=lambda r: (-r["units"], r["name"]))
    yield [("write_file", {"path": "answer.json", "content": json.dumps(rows[:5])})]
