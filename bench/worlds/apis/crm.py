"""The `crm` API world: a company's CRM behind functions, for code mode against tool calls.

No data files: everything is behind the API, as it is for an agent given a
real service. Answers need several calls with logic between them (paging,
a lookup per row, joins across calls), which is what the two arms differ
in: `codemode` writes one program that makes the calls; `toolcalls` makes
each call as its own tool call. The data is generated from a fixed seed, so
the expected answers are fixed too.
"""

from __future__ import annotations

import random
from typing import Any, Literal

PAGE = 10
COUNTRIES = ("DE", "NL", "SE", "FR")
TIERS = ("gold", "silver", "bronze")
CATEGORIES = ("hardware", "software", "service")
STATUSES = ("delivered", "shipped", "cancelled", "returned")


Rows = list[dict[str, Any]]


def _data() -> tuple[Rows, Rows, dict[str, dict[str, Any]], Rows]:
    rng = random.Random(20261204)
    names = ["Ada", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kai", "Liv", "Max", "Noa",
             "Oli", "Pia", "Quin", "Rae", "Sam", "Tove", "Uma", "Vic", "Wim", "Xia", "Yan", "Zoe"]
    customers = [{"id": 100 + i, "name": f"{names[i % len(names)]} {chr(65 + i // len(names))}.",
                  "country": COUNTRIES[rng.randrange(4)], "tier": TIERS[min(2, int(rng.random() * 3.4))]}
                 for i in range(48)]
    products = {f"P-{n:03d}": {"sku": f"P-{n:03d}", "name": f"{adj} {noun}",
                               "category": CATEGORIES[n % 3], "price": round(rng.uniform(5, 400), 2)}
                for n, (adj, noun) in enumerate((a, b) for a in ("Blue", "Quiet", "Rapid", "Solid")
                                                for b in ("Hub", "Desk", "Lens", "Cable", "Suite"))}
    skus = sorted(products)
    orders = []
    for c in customers:
        for _ in range(rng.randrange(0, 7)):
            orders.append({"id": 5000 + len(orders), "customer_id": c["id"], "sku": rng.choice(skus),
                           "qty": rng.randrange(1, 6), "status": rng.choices(STATUSES, (6, 2, 1, 1))[0],
                           "date": f"2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"})
    tickets = []
    for o in orders:
        if rng.random() < 0.3:
            tickets.append({"id": 900 + len(tickets), "customer_id": o["customer_id"], "order_id": o["id"],
                            "status": rng.choice(("open", "open", "closed")),
                            "topic": rng.choice(("late", "broken", "invoice", "howto"))})
    return customers, orders, products, tickets


CUSTOMERS, ORDERS, PRODUCTS, TICKETS = _data()


Tier = Literal["gold", "silver", "bronze"]


def search_customers(country: str | None = None, tier: Tier | None = None, page: int = 1) -> dict[str, Any]:
    """Customers, optionally of one country (ISO code such as "DE") and tier, 10 a page by id.
    Returns {customers: [{id, name, country, tier}], page, pages}."""
    found = [c for c in CUSTOMERS if (country is None or c["country"] == country)
             and (tier is None or c["tier"] == tier)]
    pages = max(1, -(-len(found) // PAGE))
    if not 1 <= page <= pages:
        raise ValueError(f"page {page} does not exist: there are {pages}")
    return {"customers": found[(page - 1) * PAGE: page * PAGE], "page": page, "pages": pages}


Status = Literal["delivered", "shipped", "cancelled", "returned"]


def get_orders(customer_id: int, status: Status | None = None) -> list[dict[str, Any]]:
    """A customer's orders (optionally of one status): [{id, customer_id, sku, qty, status, date}]."""
    if not any(c["id"] == customer_id for c in CUSTOMERS):
        raise ValueError(f"no customer {customer_id}")
    return [o for o in ORDERS
            if o["customer_id"] == customer_id and (status is None or o["status"] == status)]


def get_product(sku: str) -> dict[str, Any]:
    """One product: {sku, name, category, price} (price in EUR per unit)."""
    if sku not in PRODUCTS:
        raise ValueError(f"no product {sku!r}")
    return PRODUCTS[sku]


def get_tickets(customer_id: int) -> list[dict[str, Any]]:
    """A customer's support tickets: [{id, customer_id, order_id, status ("open"/"closed"), topic}]."""
    return [t for t in TICKETS if t["customer_id"] == customer_id]


FUNCTIONS = {"crm.searchCustomers": search_customers, "crm.getOrders": get_orders,
             "crm.getProduct": get_product, "crm.getTickets": get_tickets}
#: What the agent is told about the world (its one file says it too), beside the functions' declarations.
NOW = "2025-01-02T09:00:00Z"  # after every order of 2024 (an agent doubted dates later than the world's now)
DESCRIPTION = "The CRM of a small hardware and software shop. Everything is behind the `crm` API."
FILES = {"README.md": DESCRIPTION + "\n"}
