"""Write the data files of the catalog world ``shop`` (a small online coffee shop).

Run ``python tests/sql_corpus/make_shop.py`` from the repository root; the output is committed
under ``worlds/catalog/shop/`` and is deterministic (a fixed seed, no clock). The expected rows in
``tests/sql_corpus/good.toml`` depend on this data: regenerate both together or neither.

The data is shaped for joins and window functions: customers with and without orders, some
empty ``country``/``tier`` cells (NULL), inactive products and products never sold, orders on
the same day, and line prices that differ from the list price (discounts). Text values sort the
same way under a binary and a linguistic collation (checked below), so ``ORDER BY name`` means
one order in SQLite, Postgres, DuckDB and MySQL alike.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import unicodedata
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "worlds" / "catalog" / "shop"

MANIFEST = '''name = "shop"
description = "An online coffee shop: customers.csv, products.json, orders.csv and order_items.jsonl \
(first half of 2024)."
now = "2024-07-01T09:00:00Z"
seed = 11
'''

# (name, country, tier); "" is an empty cell.
CUSTOMERS = [
    ("Alice Martin", "France", "gold"), ("Bruno Costa", "Portugal", "silver"),
    ("Chloe Dubois", "France", "bronze"), ("Daniel Weber", "Germany", "gold"),
    ("Elena Rossi", "Italy", "silver"), ("Farid Haddad", "", "bronze"),
    ("Greta Larsen", "Denmark", ""), ("Hugo Janssen", "Netherlands", "silver"),
    ("Ines Garcia", "Spain", "gold"), ("Jonas Becker", "Germany", "bronze"),
    ("Katarzyna Nowak", "Poland", "silver"), ("Liam O'Brien", "Ireland", "gold"),
    ("Marta Silva", "Portugal", ""), ("Noah Fischer", "Germany", "silver"),
    ("Olivia Bianchi", "Italy", "bronze"), ("Pablo Moreno", "Spain", "silver"),
    ("Quentin Leroy", "France", ""), ("Rosa Jimenez", "", "bronze"),
    ("Sofia Lindqvist", "Sweden", "gold"), ("Tomas Novak", "Czechia", "bronze"),
    ("Uma Patel", "Ireland", "silver"), ("Victor Lambert", "France", "bronze"),
    ("Wiebke Schulz", "Germany", ""), ("Xavier Petit", "France", "silver"),
    ("Yara Haddad", "", ""), ("Zoe Mueller", "Germany", "gold"),
]

# (sku, name, category, price, active)
PRODUCTS = [
    ("BEAN-ETH", "Ethiopia Yirgacheffe 250g", "beans", 14.5, True),
    ("BEAN-COL", "Colombia Huila 250g", "beans", 12.0, True),
    ("BEAN-BRA", "Brazil Cerrado 1kg", "beans", 32.9, True),
    ("BEAN-KEN", "Kenya AA 250g", "beans", 16.75, True),
    ("BEAN-SUM", "Sumatra Mandheling 250g", "beans", 13.25, False),
    ("BEAN-DEC", "Decaf Swiss Water 250g", "beans", 13.9, True),
    ("TEA-SEN", "Sencha Green Tea 100g", "tea", 9.5, True),
    ("TEA-EAR", "Earl Grey 100g", "tea", 7.8, True),
    ("TEA-CHA", "Masala Chai 200g", "tea", 11.4, True),
    ("TEA-ROO", "Rooibos 100g", "tea", 6.95, False),
    ("EQ-GRN", "Hand Grinder", "equipment", 59.0, True),
    ("EQ-KET", "Gooseneck Kettle", "equipment", 74.5, True),
    ("EQ-V60", "Pour-over Dripper", "equipment", 24.0, True),
    ("EQ-PRS", "French Press 1l", "equipment", 34.95, True),
    ("EQ-SCL", "Brew Scale", "equipment", 42.0, True),
    ("EQ-ESP", "Espresso Machine", "equipment", 449.0, False),
    ("ACC-FLT", "Paper Filters x100", "accessories", 5.5, True),
    ("ACC-MUG", "Stoneware Mug", "accessories", 15.0, True),
    ("ACC-TIN", "Airtight Tin", "accessories", 18.25, True),
    ("ACC-CLN", "Cleaning Tablets", "accessories", 8.99, True),
    ("ACC-GFT", "Gift Card", "accessories", 25.0, True),
    ("ACC-TOT", "Canvas Tote", "accessories", 12.5, False),
]

STATUSES = ["delivered"] * 6 + ["shipped"] * 2 + ["pending", "cancelled", "returned"]


def collation_safe(values: list[str]) -> bool:
    """Binary order equals order by letters and digits only, case- and accent-blind."""
    def folded(s: str) -> str:
        plain = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
        return re.sub(r"[^a-z0-9]", "", plain.lower())
    distinct = sorted(set(values))
    return distinct == sorted(distinct, key=folded) and len({folded(v) for v in distinct}) == len(distinct)


def build() -> dict[str, str]:
    rng = random.Random(20240701)
    # customers: signups spread over 2023 and the first months of 2024
    customers = []
    for i, (name, country, tier) in enumerate(CUSTOMERS, 1):
        signup = date(2023, 1, 10) + timedelta(days=rng.randrange(0, 480))
        customers.append((i, name, country, signup.isoformat(), tier))
    # orders: 50 over 2024-01-02 .. 2024-06-28, never before the customer's signup; customers 7,
    # 17 and 24 are never picked (a few more happen not to be), gold customers most often.
    buyers = [c for c in customers if c[0] not in (7, 17, 24)]
    weights = [4 if c[4] == "gold" else 2 if c[4] == "silver" else 1 for c in buyers]
    orders = []
    days = sorted(date(2024, 1, 2) + timedelta(days=rng.randrange(0, 178)) for _ in range(50))
    for n, day in enumerate(days):
        while True:
            cust = rng.choices(buyers, weights)[0]
            if cust[3] <= day.isoformat():
                break
        status = rng.choice(STATUSES)
        if day >= date(2024, 6, 20) and status in ("delivered", "returned"):
            status = "shipped"
        orders.append((5001 + n, cust[0], day.isoformat(), status))
    # order items, from active products except two never sold, plus one inactive product
    sellable = [p for p in PRODUCTS if p[4]] + [PRODUCTS[4]]  # one inactive product did sell
    never_sold = {"ACC-GFT", "EQ-SCL"}
    sellable = [p for p in sellable if p[0] not in never_sold]
    # 80 lines of distinct skus: every order has one; 22 orders get a second, 4 more a second and a third
    counts = [1] * 50
    bigger = rng.sample(range(50), 26)
    for k, idx in enumerate(bigger):
        counts[idx] += 2 if k < 4 else 1
    assert sum(counts) == 80
    lines: list[tuple[int, str, int, float]] = []
    for (order_id, _cust, _day, _status), count in zip(orders, counts, strict=True):
        for product in rng.sample(sellable, count):
            sku, price = product[0], product[3]
            qty = rng.choices([1, 2, 3, 4], [6, 3, 1, 1])[0]
            if product[2] in ("beans", "tea") and rng.random() < 0.2:
                price = round(price * 0.9, 2)  # a 10% promotion
            lines.append((order_id, sku, qty, price))
    assert collation_safe([c[1] for c in customers]) and collation_safe([p[1] for p in PRODUCTS])
    assert collation_safe([c[2] for c in customers if c[2]])

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "name", "country", "signup_date", "tier"])
    writer.writerows(customers)
    customers_csv = out.getvalue()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["order_id", "customer_id", "order_date", "status"])
    writer.writerows(orders)
    orders_csv = out.getvalue()
    products_json = json.dumps(
        [{"sku": s, "name": n, "category": c, "price": float(p), "active": a} for s, n, c, p, a in PRODUCTS],
        indent=2) + "\n"
    items_jsonl = "".join(json.dumps({"order_id": o, "sku": s, "qty": q, "unit_price": float(p)}) + "\n"
                          for o, s, q, p in lines)
    return {
        "world.toml": MANIFEST,
        "customers.csv": customers_csv,
        "products.json": products_json,
        "orders.csv": orders_csv,
        "order_items.jsonl": items_jsonl,
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in build().items():
        (OUT / name).write_text(text, encoding="utf-8")
        print(f"wrote {OUT / name}")


if __name__ == "__main__":
    main()
