"""The hard tier's SaaS billing world, ``subs``: facts that only the relations between rows show.

A SaaS company's billing export from July 2023 to December 2024: accounts,
the price list, invoices, payments, a daily FX feed and usage reports from
devices. Each column looks ordinary on its own; what a one-shot reader cannot
see is in the series: the FX feed turned two of its quotes around on a day,
the billing system stopped putting tax inside ``amount`` when it migrated, the
payment processor changed the sign of refunds when it migrated, yearly
invoices show only in an account's cadence and amounts, account ids of closed
customers were given to new ones, and devices number their reports from 1
again after a restart. ``make_worlds.py`` calls :func:`make_subs`; the same
seed gives the same bytes. :func:`build` gives the rows and the ground truth.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

from common import LAST, write_toml

SEED = 8086
FIRST_DAY = dt.date(2023, 7, 1)
LAST_DAY = dt.date(2024, 12, 31)
#: The FX feed quoted EUR and GBP as US dollars per unit until this day, units per US dollar from it.
FX_FLIP = dt.date(2024, 6, 17)
#: Invoices issued before this day have the tax inside ``amount``; from it, ``amount`` is net of tax.
BILLING_MIGRATION = dt.date(2024, 5, 1)
#: Refunds received before this day are negative amounts; from it the processor writes them positive.
PROCESSOR_MIGRATION = dt.date(2024, 8, 1)

COMPANY = ["Analytics", "Cloud", "Labs", "Systems", "Digital", "Software", "Networks", "Studio", "Health",
           "Logistics", "Robotics", "Media"]
COUNTRIES = [  # country, currency, tax rate, weight
    ("US", "USD", 0.0, 40), ("DE", "EUR", 0.19, 14), ("FR", "EUR", 0.20, 10), ("NL", "EUR", 0.21, 6),
    ("GB", "GBP", 0.20, 18), ("JP", "JPY", 0.10, 12), ("AU", "AUD", 0.10, 8),
]
TAX = {c: rate for c, _, rate, _ in COUNTRIES}
CURRENCY = {c: cur for c, cur, _, _ in COUNTRIES}
PLANS = ["starter", "team", "business"]
PRICES = {
    "USD": {"starter": 29, "team": 99, "business": 299},
    "EUR": {"starter": 27, "team": 92, "business": 279},
    "GBP": {"starter": 24, "team": 79, "business": 239},
    "JPY": {"starter": 4400, "team": 14800, "business": 44800},
    "AUD": {"starter": 45, "team": 149, "business": 449},
}


@dataclass
class World:
    accounts: list[list[object]] = field(default_factory=list)
    invoices: list[list[object]] = field(default_factory=list)
    payments: list[list[object]] = field(default_factory=list)
    fx: list[list[object]] = field(default_factory=list)
    usage: list[list[object]] = field(default_factory=list)
    # ground truth
    invoice_net: dict[str, float] = field(default_factory=dict)
    invoice_months: dict[str, int] = field(default_factory=dict)
    invoice_holder: dict[str, str] = field(default_factory=dict)  # invoice -> "current" | "previous"
    usd_per_unit: dict[tuple[str, str], float] = field(default_factory=dict)
    refunds: set[str] = field(default_factory=set)
    first_copies: set[int] = field(default_factory=set)  # indices into usage of reports' first copies


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` ``months`` later (on the 28th at most, so every month has it); ``day`` itself for 0."""
    if months == 0:
        return day
    m = day.month - 1 + months
    return dt.date(day.year + m // 12, m % 12 + 1, min(day.day, 28))


def _holder(rng: random.Random, number: int, opened: dt.date) -> dict:
    country = rng.choices([c[0] for c in COUNTRIES], [c[3] for c in COUNTRIES])[0]
    return {"id": f"A{number:05d}", "company": f"{rng.choice(LAST)} {rng.choice(COMPANY)}",
            "country": country, "currency": CURRENCY[country], "opened": opened,
            "yearly": rng.random() < 0.2, "plan": rng.choices(PLANS, [5, 4, 2])[0]}


def _bill(rng: random.Random, holder: dict, until: dt.date) -> list[tuple[dt.date, str, int]]:
    """The invoices of one customer: (issued, plan, months paid for), from the export's first day."""
    out = []
    step = 12 if holder["yearly"] else 1
    change = rng.randrange(3, 18) if rng.random() < 0.3 and not holder["yearly"] else None
    plan = holder["plan"]
    k = 0
    while True:
        issued = add_months(holder["opened"], k * step)
        if issued > until or issued > LAST_DAY:
            break
        if change is not None and k == change:
            plan = rng.choice([p for p in PLANS if p != plan])
        if issued >= FIRST_DAY:
            out.append((issued, plan, step))
        k += 1
    return out


def build() -> World:
    rng = random.Random(SEED)
    w = World()
    bills: list[tuple[dt.date, str, dict, str, int, str]] = []  # issued, account, holder, plan, months, who
    for n in range(1, 2001):
        opened = dt.date(2022, 6, 1) + dt.timedelta(days=rng.randrange(913))
        holder = _holder(rng, 10000 + n, opened)
        who = "current"
        if n % 10 == 0 and opened >= dt.date(2024, 3, 1):
            # The id belonged to a customer who closed before this one opened.
            prev_opened = dt.date(2022, 9, 1) + dt.timedelta(days=rng.randrange(400))
            prev = _holder(rng, 10000 + n, prev_opened)
            prev["yearly"] = False
            closed = opened - dt.timedelta(days=rng.randrange(60, 150))
            for issued, plan, months in _bill(rng, prev, closed):
                bills.append((issued, prev["id"], prev, plan, months, "previous"))
        cancelled = LAST_DAY
        if rng.random() < 0.3:
            cancelled = opened + dt.timedelta(days=rng.randrange(30, 700))
        for issued, plan, months in _bill(rng, holder, cancelled):
            bills.append((issued, holder["id"], holder, plan, months, who))
        w.accounts.append([holder["id"], holder["company"], holder["country"], holder["currency"],
                           opened.isoformat()])

    bills.sort(key=lambda b: (b[0], b[1]))
    # received, invoice, currency, amount, "refund" or None
    paid: list[tuple[dt.date, str, str, float, str | None]] = []
    for k, (issued, account, holder, plan, months, who) in enumerate(bills):
        invoice = f"INV-{k + 1:06d}"
        currency = holder["currency"]
        net = PRICES[currency][plan] * months
        tax = round(net * TAX[holder["country"]], 2)
        amount = net + tax if issued < BILLING_MIGRATION else net
        w.invoices.append([invoice, account, issued.isoformat(), plan, currency, f"{amount:.2f}",
                           f"{tax:.2f}"])
        w.invoice_net[invoice] = net
        w.invoice_months[invoice] = months
        w.invoice_holder[invoice] = who
        if rng.random() < 0.06:
            continue  # not paid
        gross = round(net + tax, 2)
        received = issued + dt.timedelta(days=rng.randrange(0, 21))
        parts = [gross]
        if rng.random() < 0.15:
            first = round(gross * rng.uniform(0.3, 0.7), 2)
            parts = [first, round(gross - first, 2)]
        for i, part in enumerate(parts):
            day = received + dt.timedelta(days=i * rng.randrange(5, 30))
            paid.append((day, invoice, currency, part, None))
        if rng.random() < 0.04:
            refund = round(gross * rng.choice([1.0, 1.0, 0.5, 0.25]), 2)
            day = received + dt.timedelta(days=len(parts) * 30 + rng.randrange(3, 40))
            paid.append((day, invoice, currency, refund, "refund"))
    paid = [p for p in paid if p[0] <= LAST_DAY]
    paid.sort(key=lambda p: (p[0], p[1], p[4] or ""))
    last_payment: dict[str, str] = {}
    for k, (day, invoice, currency, amount, kind) in enumerate(paid):
        payment = f"PAY-{k + 1:06d}"
        refund_of = None
        if kind == "refund":
            refund_of = last_payment[invoice]
            w.refunds.add(payment)
            if day < PROCESSOR_MIGRATION:
                amount = -amount
        else:
            last_payment[invoice] = payment
        w.payments.append([payment, invoice, day.isoformat(), currency, f"{amount:.2f}", refund_of])

    level = {"EUR": 1.09, "GBP": 1.27, "JPY": 145.0, "AUD": 0.66}
    day = FIRST_DAY
    while day <= LAST_DAY:
        for currency in ("AUD", "EUR", "GBP", "JPY"):
            level[currency] *= 1 + rng.gauss(0, 0.004)
            if currency == "JPY":
                written = round(level[currency], 2)
                w.usd_per_unit[(day.isoformat(), currency)] = 1 / written
                text = f"{written:.2f}"
            else:
                usd = round(level[currency], 4)
                if day < FX_FLIP or currency == "AUD":
                    w.usd_per_unit[(day.isoformat(), currency)] = usd
                    text = f"{usd:.4f}"
                else:
                    written = round(1 / level[currency], 4)
                    w.usd_per_unit[(day.isoformat(), currency)] = 1 / written
                    text = f"{written:.4f}"
            w.fx.append([day.isoformat(), currency, text])
        day += dt.timedelta(days=1)

    reports: list[tuple[dt.datetime, str, int, int, bool]] = []  # sent, device, seq, calls, first copy
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    for d in range(1, 201):
        device = f"dev-{d:04d}"
        t = start + dt.timedelta(minutes=rng.randrange(0, 2000))
        seq = 0
        since_boot = 0
        busy = rng.uniform(4, 20)
        while t.year == 2024:
            if since_boot >= 25 and rng.random() < 0.02:
                seq = 0  # the device restarted
                since_boot = 0
            seq += 1
            since_boot += 1
            calls = max(0, int(rng.gauss(busy, busy / 3)))
            reports.append((t, device, seq, calls, True))
            again = t
            while rng.random() < (0.05 if again == t else 0.2):
                again += dt.timedelta(seconds=rng.randrange(30, 900))
                reports.append((again, device, seq, calls, False))
            t += dt.timedelta(minutes=rng.randrange(1200, 3000))
    reports.sort()
    for k, (t, device, seq, calls, first) in enumerate(reports):
        w.usage.append([device, seq, t.strftime("%Y-%m-%dT%H:%M:%SZ"), calls])
        if first:
            w.first_copies.add(k)
    return w


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    lines = [",".join(header)]
    for row in rows:
        cells = ["" if v is None else str(v) for v in row]
        assert all("," not in c and '"' not in c for c in cells), cells
        lines.append(",".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_subs(out: Path) -> None:
    w = build()
    out.mkdir(parents=True, exist_ok=True)
    write_csv(out / "accounts.csv", ["account_id", "company", "country", "currency", "opened"], w.accounts)
    write_csv(out / "prices.csv", ["plan", "currency", "monthly_price"],
              [[plan, cur, f"{PRICES[cur][plan]:.2f}"] for cur in PRICES for plan in PLANS])
    write_csv(out / "invoices.csv",
              ["invoice_id", "account_id", "issued", "plan", "currency", "amount", "tax"], w.invoices)
    write_csv(out / "payments.csv",
              ["payment_id", "invoice_id", "received", "currency", "amount", "refund_of"], w.payments)
    write_csv(out / "fx_rates.csv", ["day", "currency", "rate"], w.fx)
    write_csv(out / "usage.csv", ["device_id", "seq", "sent", "calls"], w.usage)
    write_toml(out / "world.toml", "subs",
               "A SaaS company's billing export, July 2023 to December 2024: accounts.csv (each account id's "
               "customer as of the export, with the day that customer opened it), prices.csv (monthly list "
               "prices per plan and currency), invoices.csv (amount and tax in the invoice's currency, as "
               "the billing system wrote them), payments.csv (money received per invoice, and refunds, which "
               "name the payment they return in refund_of, as the payment processor wrote them), "
               "fx_rates.csv (the daily rate of each currency against the US dollar, as the FX feed sent it) "
               "and usage.csv (the API-call reports of the customers' devices in 2024; a device numbers its "
               "reports in seq and sends a report again when the collector does not acknowledge it, sent "
               "being when that copy was sent).",
               "2025-01-05T00:00:00Z", SEED)
