"""The hard tier's worlds, ``ledger`` and ``helpdesk``: data shaped like real exports.

Each world hides facts that only running reveals and that no hedge written
in advance covers: a date order that only a day above 12 settles, amounts
written three ways, codes and field names explained in another file,
corrections stamped in mixed time zones (string order is not time order),
keys that differ in case, spaces or zero padding, logs whose entries are not
in time order, and times that are ISO strings in one channel and epoch
milliseconds in another. ``make_worlds.py`` calls the makers; the same seed
gives the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from pathlib import Path

from common import LAST, write_toml

UTC = dt.UTC
COMPANY = ["Trading", "Foods", "Labs", "Supply", "Studio", "Works", "Logistics", "Retail", "Media", "Tools"]
SURNAMES = LAST[:40]


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    """RFC 4180 CSV, quoting only the fields that need it (amounts with thousands separators)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def stamp(t: dt.datetime, offset_minutes: int) -> str:
    """``t`` (UTC) as local ISO time with its offset: ``2024-04-02T10:00:00+09:00`` or ``...Z``."""
    if offset_minutes == 0:
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")
    local = t.astimezone(dt.timezone(dt.timedelta(minutes=offset_minutes)))
    return local.isoformat()


# -- ledger ---------------------------------------------------------------------------------------

STATUS_CODES = [
    # code, label, description, weight
    (10, "settled", "Funds moved to the account", 78),
    (12, "settled_after_review", "Held for review then released; the funds moved", 4),
    (20, "pending", "Waiting for the bank at the end of the quarter", 6),
    (30, "reversed", "The bank reversed it; no money moved in the end", 4),
    (40, "cancelled", "Cancelled before it was sent", 5),
    (50, "held", "Held for review and not released by the end of the quarter", 3),
]
SOURCES = [("us", "USD", 45), ("eu", "EUR", 35), ("uk", "GBP", 20)]
FX = {"USD": [1.0, 1.0, 1.0], "EUR": [1.0905, 1.0795, 1.0872], "GBP": [1.2710, 1.2641, 1.2705]}
SPIKES = {"us": dt.date(2024, 3, 8), "eu": dt.date(2024, 1, 12), "uk": dt.date(2024, 2, 3)}


def money(value: float, source: str) -> str:
    """An amount as each regional system writes it."""
    text = f"{abs(value):,.2f}"
    if source == "us":
        return f"(${text})" if value < 0 else f"${text}"
    if source == "uk":
        return f"-£{text}" if value < 0 else f"£{text}"
    eu = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"-{eu}" if value < 0 else eu


def booked(day: dt.date, source: str) -> str:
    """A date as each regional system writes it: US month first, UK day first, EU with dots."""
    if source == "us":
        return day.strftime("%m/%d/%Y")
    if source == "uk":
        return day.strftime("%d/%m/%Y")
    return day.strftime("%d.%m.%Y")


def account_ref(number: int, source: str, rng: random.Random) -> str:
    """The account as each system keys it: ``ACC-00042``, `` acc-00042``, ``ACC-42``."""
    if source == "us":
        return f"ACC-{number:05d}"
    if source == "eu":
        return f"acc-{number:05d}" + (" " if rng.random() < 0.3 else "")
    return f"ACC-{number}"


def make_ledger(out: Path) -> None:
    rng = random.Random(7311)
    out.mkdir(parents=True, exist_ok=True)
    countries = ["US", "US", "US", "DE", "FR", "NL", "ES", "IT", "GB", "GB", "IE"]
    accounts = []
    for n in range(1, 401):
        opened = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(1800))
        name = f"{rng.choice(SURNAMES)} {rng.choice(COMPANY)}"
        accounts.append([f"ACC-{n:05d}", name, rng.choice(countries),
                         rng.choice(["standard", "standard", "plus", "premium"]), opened.isoformat()])
    write_csv(out / "accounts.csv", ["account_id", "name", "country", "tier", "opened"], accounts)
    write_csv(out / "status_codes.csv", ["code", "label", "description"],
              [[c, label, text] for c, label, text, _ in STATUS_CODES])
    write_csv(out / "fx_rates.csv", ["month", "currency", "usd_per_unit"],
              [[f"2024-{m + 1:02d}", cur, f"{rates[m]:.4f}"] for m in range(3) for cur, rates in FX.items()])

    weights = [1.0 / (k + 3) for k in range(400)]
    rng.shuffle(weights)
    codes = [c for c, *_ in STATUS_CODES]
    code_weights = [w for *_, w in STATUS_CODES]
    rows: list[list[object]] = []
    truth: list[tuple[str, dt.date]] = []
    for i in range(110_000):
        source = rng.choices([s for s, _, _ in SOURCES], [w for _, _, w in SOURCES])[0]
        currency = dict((s, c) for s, c, _ in SOURCES)[source]
        # A spike day per source: the busiest day is only right when the date is read the right way.
        day = SPIKES[source] if i % 220 == 0 else dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(91))
        # One in a hundred is on an account nobody opened.
        number = rng.randrange(401, 460) if rng.random() < 0.01 else rng.choices(range(1, 401), weights)[0]
        value = round(rng.lognormvariate(4.6, 1.1), 2)
        value = min(max(value, 2.0), 9500.0)
        if rng.random() < 0.05:
            value = -value  # a refund
        rows.append([f"T{i + 1:06d}", source, account_ref(number, source, rng), booked(day, source),
                     money(value, source), currency, rng.choices(codes, code_weights)[0]])
        truth.append((source, day))
    header = ["txn_id", "source", "account", "booked", "amount", "currency", "status"]
    write_csv(out / "transactions.csv", header, rows)

    corrections = []
    offsets = [0, 540, -300, 60, 330]
    for row in rng.sample(rows, 3200):
        day = truth[int(str(row[0])[1:]) - 1][1]
        t = dt.datetime.combine(day, dt.time(9), UTC) + dt.timedelta(days=rng.randrange(1, 20),
                                                                     minutes=rng.randrange(600))
        for _ in range(rng.choice([1, 1, 2, 2, 3])):
            if rng.random() < 0.7:
                sign = -1 if str(row[4]).startswith(("(", "-")) else 1
                value = f"{sign * round(rng.lognormvariate(4.6, 1.1), 2):.2f}"
                corrections.append([str(row[0]), stamp(t, rng.choice(offsets)), "amount", value])
            else:
                code = rng.choice([10, 10, 12, 30, 40])
                corrections.append([str(row[0]), stamp(t, rng.choice(offsets)), "status", str(code)])
            t += dt.timedelta(minutes=rng.randrange(20, 400))
    rng.shuffle(corrections)
    write_csv(out / "corrections.csv", ["correction_id", "txn_id", "corrected_at", "field", "value"],
              [[f"C{k + 1:05d}", *c] for k, c in enumerate(corrections)])
    write_toml(out / "world.toml", "ledger",
               "A payments ledger for Q1 2024 merged from three regional systems (us, eu, uk): "
               "transactions.csv (110k rows, each system writing dates, amounts and account keys its own "
               "way), "
               "corrections.csv (later corrections win), status_codes.csv, accounts.csv and fx_rates.csv.",
               "2024-04-30T00:00:00Z", 7311)


# -- helpdesk -------------------------------------------------------------------------------------

PRIORITIES = [("p1", "Urgent"), ("p2", "High"), ("p3", "Normal"), ("p4", "Low")]
AREAS = [("billing", "Billing"), ("login", "Login and access"), ("api", "API"), ("mobile", "Mobile app"),
         ("data", "Data export")]
TEAMS = [("Tier 1", 10), ("Tier 2", 6), ("Billing", 4)]
AGENT_OFFSETS = [0, 60, 330, -300, -180, 540]
SLA = {"basic": [240, 480, 1440, 2880], "pro": [60, 240, 720, 1440], "enterprise": [30, 120, 480, 960]}


def make_helpdesk(out: Path) -> None:
    rng = random.Random(5150)
    out.mkdir(parents=True, exist_ok=True)
    agents = []
    for team, count in TEAMS:
        for _ in range(count):
            offset = rng.choice(AGENT_OFFSETS)
            sign = "-" if offset < 0 else "+"
            agents.append([f"a{len(agents) + 1:02d}", rng.choice(SURNAMES), team,
                           f"{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"])
    write_csv(out / "agents.csv", ["agent_id", "name", "team", "utc_offset"], agents)
    orgs = []
    for n in range(1, 121):
        external = f"O-{rng.randrange(16 ** 4):04X}"
        orgs.append([n, f"{rng.choice(SURNAMES)} {rng.choice(COMPANY)}", external,
                     rng.choices(["basic", "pro", "enterprise"], [5, 3, 2])[0]])
    write_csv(out / "orgs.csv", ["org_id", "name", "external_id", "plan"], orgs)
    write_csv(out / "sla.csv", ["plan", "priority", "first_reply_minutes"],
              [[plan, name, minutes[k]] for plan, minutes in SLA.items()
               for k, (_, name) in enumerate(PRIORITIES)])
    fields = [
        {"id": 360001, "title": "Priority", "type": "dropdown", "default": "p3",
         "options": [{"value": v, "name": n} for v, n in PRIORITIES]},
        {"id": 360002, "title": "Product area", "type": "dropdown", "default": None,
         "options": [{"value": v, "name": n} for v, n in AREAS]},
        {"id": 360003, "title": "Customer sentiment", "type": "text", "default": None, "options": []},
    ]
    (out / "fields.json").write_text(json.dumps(fields, indent=2) + "\n", encoding="utf-8")

    agent_ids = [a[0] for a in agents]
    start = dt.datetime(2024, 3, 1, tzinfo=UTC)
    lines = []
    for n in range(12_000):
        created = start + dt.timedelta(seconds=rng.randrange(31 * 86400))
        channel = rng.choices(["email", "web", "chat", "phone"], [4, 3, 3, 1])[0]
        org = rng.choice(orgs)
        cf: list[dict[str, object]] = []
        priority = rng.choices(range(4), [1, 3, 5, 2])[0]
        if priority != 2 or rng.random() < 0.4:  # most Normal tickets leave the field at its default
            cf.append({"id": 360001, "value": PRIORITIES[priority][0]})
        if rng.random() < 0.85:
            cf.append({"id": 360002, "value": rng.choice(AREAS)[0]})
        if rng.random() < 0.2:
            cf.append({"id": 360003, "value": rng.choice(["angry", "calm", "happy"])})
        rng.shuffle(cf)
        log: list[dict[str, object]] = []
        t = created
        if rng.random() < 0.25:  # the requester adds detail before anyone answers
            t += dt.timedelta(seconds=rng.randrange(60, 3600))
            log.append({"at": t, "type": "comment", "by": "requester", "public": True})
        if rng.random() < 0.3:  # an internal note is not a reply
            log.append({"at": created + dt.timedelta(seconds=rng.randrange(30, 1800)), "type": "comment",
                        "by": rng.choice(agent_ids), "public": False})
        if rng.random() < 0.93:
            speed = [0.3, 0.8, 2.0, 3.5][priority]
            t = created + dt.timedelta(seconds=int(60 * rng.lognormvariate(4.2, 1.0) * speed))
            owner = rng.choice(agent_ids)
            log.append({"at": t, "type": "comment", "by": owner, "public": True})
            for _ in range(rng.randrange(0, 3)):
                t += dt.timedelta(seconds=rng.randrange(600, 86400))
                who = rng.choice(["requester", owner, owner, rng.choice(agent_ids)])
                log.append({"at": t, "type": "comment", "by": who, "public": True})
            if rng.random() < 0.8:
                t += dt.timedelta(seconds=rng.randrange(300, 40000))
                log.append({"at": t, "type": "status", "to": "solved"})
                if rng.random() < 0.15:
                    t += dt.timedelta(seconds=rng.randrange(3600, 200000))
                    log.append({"at": t, "type": "status", "to": rng.choice(["open", "pending"])})
                    t += dt.timedelta(seconds=rng.randrange(600, 20000))
                    log.append({"at": t, "type": "comment", "by": owner, "public": True})
                    if rng.random() < 0.7:
                        t += dt.timedelta(seconds=rng.randrange(300, 40000))
                        log.append({"at": t, "type": "status", "to": "solved"})
        if rng.random() < 0.3:  # entries appended out of order by a sync job
            rng.shuffle(log)
        for entry in log:
            at = entry["at"]
            assert isinstance(at, dt.datetime)
            entry["at"] = int(at.timestamp() * 1000) if channel == "chat" else stamp(at, 0)
        record = {"id": f"TK-{10001 + n}", "created_at": stamp(created, rng.choice([0, 60, 330, -240, -420])),
                  "channel": channel,
                  "requester": {"org": str(org[2]).lower(),
                                "email": f"user{rng.randrange(9000)}@example.com"},
                  "custom_fields": cf, "log": log}
        lines.append(json.dumps(record, separators=(",", ":")))
    (out / "tickets.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    write_toml(out / "world.toml", "helpdesk",
               "A support desk's March 2024 export: tickets.jsonl (one ticket a line with its custom fields "
               "and its log of comments and status changes), fields.json (what the custom fields mean), "
               "agents.csv, orgs.csv and sla.csv (first-reply targets by plan and priority).",
               "2024-04-05T00:00:00Z", 5150)


# -- parcels --------------------------------------------------------------------------------------

DEPOTS = [("LHR", "London", 0), ("AMS", "Amsterdam", 60), ("MAD", "Madrid", 60), ("IST", "Istanbul", 180),
          ("DXB", "Dubai", 240)]
#: The scanners' new firmware writes the month first; nothing in the files says when it arrived.
FIRMWARE = dt.datetime(2024, 3, 20, 2, 0, tzinfo=UTC)


def make_parcels(out: Path) -> None:
    rng = random.Random(2718)
    out.mkdir(parents=True, exist_ok=True)
    write_csv(out / "depots.csv", ["depot", "city", "utc_offset"],
              [[code, city, f"+{minutes // 60:02d}:{minutes % 60:02d}"] for code, city, minutes in DEPOTS])
    scans: list[tuple[dt.datetime, str, str, str]] = []
    for n in range(9_000):
        parcel = f"PX{100000 + n}"
        t = dt.datetime(2024, 2, 20, tzinfo=UTC) + dt.timedelta(seconds=rng.randrange(50 * 86400))
        origin, destination = rng.sample(DEPOTS, 2)
        scans.append((t, parcel, origin[0], "PICKUP"))
        t += dt.timedelta(minutes=rng.randrange(60, 600))
        scans.append((t, parcel, origin[0], "DEPART"))
        t += dt.timedelta(minutes=rng.randrange(120, 2400))
        scans.append((t, parcel, destination[0], "ARRIVE"))
        if rng.random() < 0.06:
            t += dt.timedelta(minutes=rng.randrange(60, 1440))
            scans.append((t, parcel, destination[0], "EXCEPTION"))
        if rng.random() < 0.95:
            t += dt.timedelta(minutes=rng.randrange(90, 1800))
            scans.append((t, parcel, destination[0], "DELIVERED"))
    scans.sort()
    offsets = {code: minutes for code, _, minutes in DEPOTS}
    rows = []
    for k, (t, parcel, depot, event) in enumerate(scans):
        local = t + dt.timedelta(minutes=offsets[depot])
        written = local.strftime("%m/%d/%Y %H:%M" if t >= FIRMWARE else "%d/%m/%Y %H:%M")
        rows.append([f"S{k + 1:06d}", parcel, depot, written, event])
    write_csv(out / "scans.csv", ["scan_id", "parcel", "depot", "scanned", "event"], rows)
    write_toml(out / "world.toml", "parcels",
               "A parcel carrier's scans from 20 February to mid-April 2024: scans.csv (one row per scan, "
               "in the order the scanners sent them; scanned is the depot's local time as the scanner writes "
               "it) and depots.csv "
               "(each depot's offset from UTC, which did not change in that time).",
               "2024-04-20T00:00:00Z", 2718)
