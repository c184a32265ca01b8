"""Deterministic inputs of the scale workloads (see bench/perf/scale.py).

Every table comes from a seeded ``random.Random``, so two runs, two machines
and two commits measure the same bytes. The sales rows are a prefix family:
the first 10,000 rows of the 1,000,000-row file are the 10,000-row file.
"""

from __future__ import annotations

import random

REGIONS = ("north", "south", "east", "west", "central")
SALES_HEADER = "id,region,product,qty,price,day\n"


def sales_rows(n: int, seed: int = 1) -> list[str]:
    """``n`` CSV lines (newline included) of id, region, product, qty, price, day."""
    rnd = random.Random(seed)
    return [f"{i},{rnd.choice(REGIONS)},p{rnd.randrange(500)},{rnd.randrange(1, 20)},"
            f"{rnd.randrange(100, 100_000) / 100},"
            f"2024-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d}\n"
            for i in range(n)]


def sales_csv(rows: list[str], n: int) -> bytes:
    """The first ``n`` of ``rows`` under the header, as a file's bytes."""
    return (SALES_HEADER + "".join(rows[:n])).encode()


def _messy(rnd: random.Random, key: str) -> str:
    """``key`` as people type it: any case, stray spaces (now and then a tab) on either side."""
    cased = rnd.choice((key, key.lower(), key.title(), key.upper()))
    return rnd.choice(("", "", " ", "  ", "\t")) + cased + rnd.choice(("", "", " ", "   "))


def payments_world(customers: int = 400, payments: int = 10_000, seed: int = 7) -> dict[str, bytes]:
    """customers.csv (key, name, country) and payments.csv (id, customer_key, amount, day).

    Keys are messy on both sides, so a join needs ``upper(trim(...))`` on both;
    about one payment in eleven names a customer who does not exist.
    """
    rnd = random.Random(seed)
    countries = ("DE", "FR", "US", "UK", "NL")
    people = "".join(f"{_messy(rnd, f'c{i:04d}')},Customer {i},{rnd.choice(countries)}\n"
                     for i in range(customers))
    unknown = customers + customers // 10
    paid = "".join(f"{i},{_messy(rnd, f'c{rnd.randrange(unknown):04d}')},{rnd.randrange(100, 50_000) / 100},"
                   f"2024-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d}\n"
                   for i in range(payments))
    return {"customers.csv": ("key,name,country\n" + people).encode(),
            "payments.csv": ("id,customer_key,amount,day\n" + paid).encode()}
