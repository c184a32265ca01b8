"""The ``orders`` world: an online shop's orders as nested JSON, the shape JSONata is made for.

Each order holds its customer (an object) and its lines (an array of objects), as a
shop's API returns them; ``make_worlds.py`` calls :func:`make_orders`.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from common import FIRST, LAST, write_toml

COUNTRIES = ["DE", "FR", "GB", "US", "NL", "ES", "IT", "SE"]
CATALOG = [  # sku, name, category, price
    ("B-101", "notebook", "paper", 4.50), ("B-102", "sketchbook", "paper", 9.90),
    ("B-103", "envelopes", "paper", 3.20), ("P-201", "fountain pen", "pens", 24.00),
    ("P-202", "gel pen", "pens", 2.10), ("P-203", "fineliner set", "pens", 12.75),
    ("D-301", "desk lamp", "desk", 39.00), ("D-302", "organiser", "desk", 17.40),
    ("D-303", "stapler", "desk", 8.60), ("A-401", "backpack", "bags", 54.00),
    ("A-402", "pencil case", "bags", 6.95),
]


def make_orders(out: Path) -> None:
    rng = random.Random(1312)
    out.mkdir(parents=True, exist_ok=True)
    customers = [{"id": f"C{n:04d}", "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                  "country": rng.choice(COUNTRIES)} for n in range(1, 401)]
    orders = []
    start = dt.datetime(2024, 9, 1, tzinfo=dt.UTC)
    for n in range(1, 501):
        customer = rng.choice(customers)
        lines = []
        for sku, name, category, price in rng.sample(CATALOG, rng.randint(1, 4)):
            line = {"sku": sku, "name": name, "category": category, "qty": rng.randint(1, 5), "price": price}
            if rng.random() < 0.1:
                line["discount"] = round(price * line["qty"] * 0.1, 2)
            lines.append(line)
        placed = start + dt.timedelta(minutes=rng.randrange(90 * 24 * 60))
        orders.append({"id": 50000 + n, "placed": placed.strftime("%Y-%m-%dT%H:%M:%SZ"),
                       "status": rng.choices(["shipped", "delivered", "cancelled"], [30, 62, 8])[0],
                       "customer": customer, "lines": lines})
    (out / "orders.json").write_text(json.dumps(orders, indent=1) + "\n", encoding="utf-8")
    write_toml(out / "world.toml", "orders",
               "An online stationery shop's orders from September to November 2024, as its API returns them: "
               "orders.json, each order with its customer (id, name, country) and its lines (sku, name, "
               "category, qty, unit price, and a discount in money on some lines).",
               "2024-12-01T00:00:00Z", 1312)
