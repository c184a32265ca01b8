"""Generate the bench worlds deterministically: logs, events, survey, org, and ``messy.py``'s hard tier.

Run ``python bench/worlds/make_worlds.py`` to (re)write every file under
``bench/worlds/<name>/``; ``--check`` regenerates into a temporary folder and
exits 1 when any committed file differs from what this script would write.
Only ``random.Random`` with fixed seeds is used, and every float is written
with a fixed number of decimals, so two runs give identical bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import filecmp
import json
import random
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

# This script's folder is on sys.path when it runs.
import messy  # the hard tier's worlds
import meters  # the hard tier's smart-meter world
import nested  # nested JSON, for JSONata
from common import FIRST, LAST, write_toml
from fleet import make_fleet  # the hard tier's delivery-fleet world
from subs import make_subs  # the hard tier's billing world

HERE = Path(__file__).resolve().parent


def iso(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    """A plain CSV: no value holds a comma, quote or newline, so no quoting is needed."""
    lines = [",".join(header)]
    for row in rows:
        cells = ["" if v is None else str(v) for v in row]
        for c in cells:
            assert "," not in c and '"' not in c and "\n" not in c, c
        lines.append(",".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# -- logs -----------------------------------------------------------------------------------------

ENDPOINTS = [
    # path, service, team, slo_ms, methods, weight, median latency, median bytes
    ("/api/products", "catalog", "Storefront", 200, ["GET"], 22, 45, 18000),
    ("/api/products/search", "catalog", "Storefront", 400, ["GET"], 12, 120, 9000),
    ("/api/recommendations", "recs", "Data", 500, ["GET"], 8, 180, 6000),
    ("/api/cart", "cart", "Checkout", 250, ["GET", "POST", "DELETE"], 10, 60, 2500),
    ("/api/checkout", "payments", "Checkout", 800, ["POST"], 4, 420, 1200),
    ("/api/orders", "orders", "Checkout", 300, ["GET"], 5, 90, 4200),
    ("/api/login", "auth", "Identity", 300, ["POST"], 5, 110, 600),
    ("/api/users/me", "auth", "Identity", 150, ["GET"], 9, 25, 900),
    ("/static/app.js", "static", "Platform", 100, ["GET"], 14, 8, 245000),
    ("/health", "infra", "Platform", 50, ["GET"], 8, 2, 15),
]
SCANNER_PATHS = ["/wp-login.php", "/.env", "/admin", "/phpmyadmin/index.php"]


def make_logs(out: Path) -> None:
    rng = random.Random(20240506)
    out.mkdir(parents=True, exist_ok=True)
    write_csv(out / "endpoints.csv", ["path", "service", "team", "slo_ms"],
              [[e[0], e[1], e[2], e[3]] for e in ENDPOINTS])
    start = dt.datetime(2024, 5, 6, 0, 0, 0)
    # Requests per hour follow a daily curve; an incident hits payments on May 7th, 14:00-15:59.
    curve = [3, 2, 2, 2, 2, 3, 5, 9, 14, 17, 18, 18, 19, 18, 17, 17, 16, 15, 16, 18, 17, 13, 8, 5]
    weights = [e[5] for e in ENDPOINTS]
    users = list(range(101, 181))
    rows = []
    for day in range(3):
        for hour in range(24):
            n = curve[hour] * 2 + rng.randint(0, 6)
            incident = day == 1 and hour in (14, 15)
            if incident:
                n += 12
            for _ in range(n):
                t = start + dt.timedelta(days=day, hours=hour, seconds=rng.randrange(3600))
                if rng.random() < 0.02:
                    path = rng.choice(SCANNER_PATHS)
                    method, status = "GET", 404
                    latency = round(rng.uniform(1, 6), 1)
                    size, user = 162, None
                else:
                    e = ENDPOINTS[0] if incident and rng.random() < 0.2 else None
                    e = rng.choices(ENDPOINTS, weights)[0] if e is None else e
                    if incident and rng.random() < 0.35:
                        e = ENDPOINTS[4]
                    path, methods = e[0], e[4]
                    method = rng.choice(methods)
                    latency = rng.lognormvariate(0, 0.55) * e[6]
                    size = int(rng.lognormvariate(0, 0.3) * e[7])
                    status = 200
                    if method == "POST" and path in ("/api/cart", "/api/checkout"):
                        status = 201
                    if method == "DELETE":
                        status, size = 204, 0
                    if path == "/static/app.js" and rng.random() < 0.4:
                        status, size = 304, 0
                    if path == "/api/login" and rng.random() < 0.15:
                        status, size = 401, 85
                    if path in ("/api/orders", "/api/cart") and rng.random() < 0.03:
                        status, size = 404, 120
                    fail = 0.35 if incident and e[1] == "payments" else 0.008
                    if rng.random() < fail:
                        status = rng.choice([500, 502, 503, 503])
                        size = 230
                        latency = latency * 3 if status == 503 else latency
                    if incident and e[1] == "payments":
                        latency *= 4
                    latency = round(latency, 1)
                    anon = path in ("/static/app.js", "/health", "/api/products", "/api/products/search")
                    if path == "/health" or (anon and rng.random() < 0.55):
                        user = None
                    else:
                        user = rng.choice(users[: 20]) if rng.random() < 0.3 else rng.choice(users)
                    if rng.random() < 0.03:
                        method = method.lower()  # an old mobile client logs lower-case methods
                rows.append([t, method, path, status, f"{latency:.1f}", size, user])
    rows.sort(key=lambda r: (r[0], r[2], r[1]))
    table = [[n + 1, iso(r[0])] + r[1:] for n, r in enumerate(rows)]
    write_csv(out / "requests.csv",
              ["request_id", "ts", "method", "path", "status", "latency_ms", "bytes", "user_id"], table)
    write_toml(out / "world.toml", "logs",
               "A web shop's access logs for 6-8 May 2024: requests.csv (one row per HTTP request) "
               "and endpoints.csv (which service and team own each path and its latency SLO).",
               "2024-05-09T06:00:00Z", 506)


# -- events ---------------------------------------------------------------------------------------

COUNTRIES = ["US", "US", "US", "DE", "DE", "GB", "FR", "BR", "IN", "JP", "CA", "ES"]
ITEMS = [f"SKU-{n:03d}" for n in range(1, 41)]
PRICES = {item: round(random.Random(i).uniform(4, 120), 2) for i, item in enumerate(ITEMS)}


def make_events(out: Path) -> None:
    rng = random.Random(8675309)
    out.mkdir(parents=True, exist_ok=True)
    users = []
    for uid in range(1, 301):
        signup = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(90))
        country = rng.choice(COUNTRIES)
        if rng.random() < 0.06:
            country = country.lower()
        plan = rng.choices(["free", "pro", "team"], [70, 22, 8])[0]
        users.append([uid, signup.isoformat(), country, plan])
    write_csv(out / "users.csv", ["user_id", "signup_date", "country", "plan"], users)

    events = []
    month = dt.datetime(2024, 3, 1)
    for uid, signup, _country, plan in users:
        activity = {"free": 0.55, "pro": 0.85, "team": 0.9}[plan]
        if rng.random() > activity:
            continue
        device = rng.choice(["ios", "android", "web", "web"])
        first = max(month, dt.datetime.fromisoformat(signup))
        sessions = rng.randint(1, 4)
        starts = sorted(first + dt.timedelta(seconds=rng.randrange(int((dt.datetime(2024, 4, 1) - first)
                                                                         .total_seconds()) - 7200))
                        for _ in range(sessions))
        last_end = None
        for s in starts:
            if last_end is not None and s < last_end + dt.timedelta(hours=1):
                s = last_end + dt.timedelta(hours=1, minutes=rng.randrange(600))
            if s >= dt.datetime(2024, 3, 31, 22):
                break
            t = s
            dev = device if rng.random() < 0.9 else rng.choice(["ios", "android", "web"])
            seq = [("app_open", {"device": dev})]
            for _ in range(rng.randint(0, 3)):
                seq.append(("search", {"device": dev, "query_len": rng.randint(3, 24)}))
            viewed = rng.sample(ITEMS, rng.randint(1, 4)) if rng.random() < 0.8 else []
            for item in viewed:
                seq.append(("view_item", {"device": dev, "item_id": item}))
            carted = [i for i in viewed if rng.random() < 0.4]
            for item in carted:
                seq.append(("add_to_cart", {"device": dev, "item_id": item, "qty": rng.choice([1, 1, 1, 2])}))
            if carted and rng.random() < 0.6:
                seq.append(("begin_checkout", {"device": dev, "items": len(carted)}))
                if rng.random() < 0.7:
                    amount = sum(PRICES[i] for i in carted)
                    coupon = rng.random() < 0.2
                    if coupon:
                        amount *= 0.9
                    props = {"device": dev, "amount": round(amount, 2), "currency": "USD",
                             "payment": {"method": rng.choice(["card", "card", "paypal", "apple_pay"]),
                                         "coupon": coupon}}
                    seq.append(("purchase", props))
            for name, props in seq:
                events.append([t, uid, name, props])
                t += dt.timedelta(seconds=rng.randint(5, 420))
            last_end = t
    events.sort(key=lambda e: (e[0], e[1]))
    lines = []
    for n, (t, uid, name, props) in enumerate(events, 1):
        line = json.dumps({"event_id": f"ev{n:05d}", "user_id": uid, "event": name, "ts": iso(t),
                           "properties": props})
        lines.append(line)
        if rng.random() < 0.025:
            lines.append(line)  # the mobile SDK retries and sends the same event twice
    (out / "events.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    write_toml(out / "world.toml", "events",
               "Product analytics for a shopping app in March 2024: users.csv (signup date, country, "
               "plan) and events.jsonl (one tracked event a line, with a nested properties object).",
               "2024-04-01T08:00:00Z", 309)


# -- survey ---------------------------------------------------------------------------------------

QUESTIONS = [
    ("Q01", "manager", "likert", "My manager gives me useful feedback."),
    ("Q02", "manager", "likert", "I trust my manager to support my career."),
    ("Q03", "workload", "likert", "My workload is manageable."),
    ("Q04", "workload", "likert", "I can disconnect after working hours."),
    ("Q05", "growth", "likert", "I have opportunities to learn and grow here."),
    ("Q06", "growth", "likert", "I see a path to promotion in the next two years."),
    ("Q07", "culture", "likert", "People here treat each other with respect."),
    ("Q08", "culture", "likert", "I feel comfortable voicing a different opinion."),
    ("Q09", "tools", "likert", "I have the tools I need to do my job well."),
    ("Q10", "tools", "likert", "Our internal systems rarely slow me down."),
    ("Q11", "enps", "nps", "How likely are you to recommend working here to a friend? (0-10)"),
]
DEPARTMENTS = ["Engineering", "Sales", "Support", "Marketing", "Operations", "Finance"]


def make_survey(out: Path) -> None:
    rng = random.Random(4242)
    out.mkdir(parents=True, exist_ok=True)
    questions = [{"question_id": q, "topic": t, "scale": s, "text": x, "min": 0 if s == "nps" else 1,
                  "max": 10 if s == "nps" else 5} for q, t, s, x in QUESTIONS]
    (out / "questions.json").write_text(json.dumps(questions, indent=2) + "\n", encoding="utf-8")
    mood = {"Engineering": 0.3, "Sales": -0.2, "Support": -0.5, "Marketing": 0.1, "Operations": -0.1,
            "Finance": 0.2}
    topic_bias = {"manager": 0.2, "workload": -0.4, "growth": -0.2, "culture": 0.4, "tools": 0.0}
    respondents, answers = [], []
    start = dt.datetime(2024, 4, 8, 8, 0, 0)
    for rid in range(1, 261):
        dept = rng.choices(DEPARTMENTS, [30, 18, 20, 10, 14, 8])[0]
        shown = dept.lower() if rng.random() < 0.05 else (dept.upper() if rng.random() < 0.02 else dept)
        tenure = rng.choices(["<1y", "1-3y", "3-5y", "5y+"], [20, 40, 25, 15])[0]
        location = rng.choices(["office", "hybrid", "remote"], [30, 45, 25])[0]
        if rng.random() < 0.08:
            location = location.capitalize()
        submitted = start + dt.timedelta(seconds=rng.randrange(11 * 24 * 3600))
        respondents.append([rid, iso(submitted), shown, tenure, location])
        person = rng.gauss(0, 0.8) + mood[dept]
        drop_after = len(QUESTIONS) if rng.random() > 0.07 else rng.randint(3, 9)
        for n, (qid, topic, scale, _) in enumerate(QUESTIONS):
            if n >= drop_after:
                break  # abandoned the survey: no rows for the remaining questions
            if scale == "nps":
                value = min(10, max(0, round(7 + 2.2 * person + rng.gauss(0, 1.5))))
            else:
                value = min(5, max(1, round(3.4 + person + topic_bias[topic] + rng.gauss(0, 0.8))))
            blank = rng.random() < 0.04
            answers.append([rid, qid, None if blank else value])
    write_csv(out / "respondents.csv", ["respondent_id", "submitted_at", "department", "tenure", "location"],
              respondents)
    write_csv(out / "answers.csv", ["respondent_id", "question_id", "answer"], answers)
    write_toml(out / "world.toml", "survey",
               "An April 2024 employee engagement survey: respondents.csv (one row per respondent), "
               "answers.csv (one row per respondent and question, blank when skipped) and questions.json.",
               "2024-04-20T12:00:00Z", 4242)


# -- org ------------------------------------------------------------------------------------------

ORG_DEPTS = [
    # department, VP title, manager title, IC titles, salary base
    ("Engineering", "VP Engineering", "Engineering Manager", ["Software Engineer", "Senior Software Engineer",
                                                                "QA Engineer", "SRE"], 118000),
    ("Product", "VP Product", "Product Lead", ["Product Manager", "Product Designer", "UX Researcher"],
     112000),
    ("Sales", "VP Sales", "Sales Manager", ["Account Executive", "Sales Development Rep",
                                            "Solutions Engineer"], 86000),
    ("Marketing", "VP Marketing", "Marketing Manager", ["Content Marketer", "Growth Marketer",
                                                        "Designer"], 82000),
    ("Customer Success", "VP Customer Success", "Support Manager", ["Support Specialist",
                                                                    "Customer Success Manager"], 68000),
    ("Finance", "CFO", "Finance Manager", ["Accountant", "Financial Analyst"], 90000),
    ("People", "VP People", "People Partner Lead", ["Recruiter", "People Partner"], 78000),
]


def make_org(out: Path) -> None:
    rng = random.Random(1999)
    out.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()

    def name() -> str:
        while True:
            n = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if n not in used:
                used.add(n)
                return n

    def hired(earliest: int) -> str:
        d = dt.date(earliest, 1, 1) + dt.timedelta(days=rng.randrange((dt.date(2024, 3, 1)
                                                                     - dt.date(earliest, 1, 1)).days))
        return d.isoformat()

    emps: list[list[object]] = []
    next_id = [1000]

    def add(title: str, dept: str, manager: int | None, salary: int | None, hire: str) -> int:
        next_id[0] += rng.randint(1, 3)
        emps.append([next_id[0], name(), title, dept, manager, salary, hire])
        return next_id[0]

    def pay(base: float) -> int:
        return int(round(base * rng.uniform(0.85, 1.2), -2))

    ceo = add("CEO", "Executive", None, 310000, "2015-02-02")
    add("Chief of Staff", "Executive", ceo, pay(150000), hired(2017))
    add("Executive Assistant", "Executive", ceo, pay(62000), hired(2018))
    for dept, vp_title, mgr_title, ic_titles, base in ORG_DEPTS:
        vp = add(vp_title, dept, ceo, pay(base * 1.9), hired(2015))
        n_teams = {"Engineering": 7, "Product": 3, "Sales": 4, "Marketing": 2,
                   "Customer Success": 3}.get(dept, 1)
        for t in range(n_teams):
            if dept == "Engineering" and t < 3:  # Engineering has directors over managers
                director = add("Director of Engineering", dept, vp, pay(base * 1.55), hired(2016))
                heads = [director]
                subs = 2
            else:
                heads = [vp]
                subs = 1
            for head in heads:
                for _ in range(subs):
                    mgr = add(mgr_title, dept, head, pay(base * 1.3), hired(2016))
                    for _ in range(rng.randint(5, 9)):
                        title = rng.choice(ic_titles)
                        senior = "Senior" in title or "Solutions" in title
                        salary: int | None = pay(base * (1.15 if senior else 0.95))
                        # A few ICs are paid more than their manager, as happens.
                        if rng.random() < 0.06:
                            salary = pay(base * 1.45)
                        if rng.random() < 0.025:
                            salary = None  # contractors: salary not recorded in HR
                        emp = add(title, dept, mgr, salary, hired(2017))
                        if title in ("Senior Software Engineer", "Account Executive") and rng.random() < 0.3:
                            add("Intern", dept, emp, 36000, hired(2023))
    # A handful of managers own no team yet: fine. Sort by id (already increasing).
    write_csv(out / "employees.csv",
              ["employee_id", "name", "title", "department", "manager_id", "salary", "hire_date"], emps)

    project_names = [
        "Checkout Revamp", "Mobile App 3.0", "Search Relevance", "Data Warehouse Migration",
        "SSO for Enterprise", "Pricing Page Test", "Support Chatbot", "Billing Service Split",
        "Onboarding Flow", "Partner Portal", "Q3 Brand Campaign", "EMEA Expansion",
        "Payroll Automation", "Hiring Pipeline", "Observability Stack", "API v2",
        "Recommendation Engine", "Accessibility Audit", "Churn Prediction", "Sales Playbook",
        "Localization", "Security Certification",
    ]
    owners = ["Engineering", "Product", "Engineering", "Engineering", "Engineering", "Marketing",
              "Customer Success", "Engineering", "Product", "Sales", "Marketing", "Sales", "Finance",
              "People", "Engineering", "Engineering", "Product", "Product", "Customer Success", "Sales",
              "Product", "Engineering"]
    projects = []
    for n, (pname, owner) in enumerate(zip(project_names, owners, strict=True), 1):
        start = dt.date(2023, 6, 1) + dt.timedelta(days=rng.randrange(300))
        status = rng.choices(["active", "planned", "done"], [60, 20, 20])[0]
        budget = int(round(rng.uniform(40, 900), 0)) * 1000
        projects.append([f"P{n:02d}", pname, owner, start.isoformat(), status, budget])
    write_csv(out / "projects.csv", ["project_id", "name", "owner_department", "start_date", "status",
                                     "budget"], projects)

    by_dept: dict[str, list[int]] = {}
    for e in emps:
        by_dept.setdefault(str(e[3]), []).append(int(str(e[0])))
    assignments = []
    for pid, _pname, owner, _start, _status, _budget in projects:
        team = rng.sample(by_dept[owner], min(len(by_dept[owner]), rng.randint(3, 9)))
        others = [d for d in by_dept if d not in (owner, "Executive")]
        for d in rng.sample(others, rng.randint(0, 2)):
            team += rng.sample(by_dept[d], rng.randint(1, 3))
        for i, emp in enumerate(team):
            role = "lead" if i == 0 else "member"
            assignments.append([pid, emp, role, rng.choice([10, 20, 25, 50, 50, 100])])
    extra = [rng.choice(assignments) for _ in range(6)]  # entered twice by the PMO spreadsheet
    assignments += [list(a) for a in extra]
    assignments.sort(key=lambda a: (str(a[0]), int(str(a[1]))))
    write_csv(out / "assignments.csv", ["project_id", "employee_id", "role", "allocation_pct"], assignments)

    # Dependencies form a DAG: a project depends only on projects with a smaller number.
    edges = set()
    for n in range(2, len(projects) + 1):
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            edges.add((f"P{n:02d}", f"P{rng.randint(1, n - 1):02d}"))
    write_csv(out / "dependencies.csv", ["project_id", "depends_on"], sorted(edges))
    write_toml(out / "world.toml", "org",
               "A software company's HR export: employees.csv (with manager_id; the CEO has none), "
               "projects.csv, assignments.csv (who works on which project) and dependencies.csv "
               "(which project depends on which).",
               "2024-03-15T09:00:00Z", 1999)


MAKERS: dict[str, Callable[[Path], None]] = {
    "logs": make_logs, "events": make_events, "survey": make_survey, "org": make_org,
    "orders": nested.make_orders,
    "ledger": messy.make_ledger, "helpdesk": messy.make_helpdesk, "parcels": messy.make_parcels,
    "subs": make_subs,
    "meters": meters.make_meters,
    "fleet": make_fleet,
}


def generate(root: Path) -> list[Path]:
    """Write every world under ``root``; the files written, relative to ``root``."""
    for name, make in MAKERS.items():
        make(root / name)
    return sorted(p.relative_to(root) for name in MAKERS for p in (root / name).rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a committed file differs")
    args = parser.parse_args(argv)
    if not args.check:
        for path in generate(HERE):
            print(path)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        bad = []
        for path in generate(Path(tmp)):
            committed = HERE / path
            if not committed.is_file() or not filecmp.cmp(committed, Path(tmp) / path, shallow=False):
                bad.append(str(path))
    for path in bad:
        print(f"differs from the generator: {path}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
