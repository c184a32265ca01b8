"""The hard tier's delivery-fleet world, ``fleet``: telematics and operations exports of a van fleet.

Each file hides one fact that only running reveals, in the relations between rows and not in any
column's shape or values: the older trackers' odometer counts from each ignition (it restarts at 0
every trip), one station brand's pumps report US gallons (only amount / quantity shows it), the card
provider's amounts leave VAT out from 1 March, the dispatch app wrote local time until a migration
on 26 February and UTC after it (its trips line up with the trackers' UTC pings), the time clocks
date a night shift's clock-out with the day the shift began, and the workshop writes on each line of
a job the job's running subtotal, not the line's own cost, and the older CAN-bus gateways report the
fuel used since the start of the day where the newer ones report the fuel used since their last report
(only a van's series shows which). ``make_worlds.py`` calls ``make_fleet``;
the same seed gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from common import FIRST, LAST, write_toml
from messy import write_csv

START = dt.datetime(2024, 1, 29)  # a Monday; 8 weeks to Sunday 24 March
DAYS = 56
LOCAL = dt.timedelta(hours=1)  # Amsterdam is UTC+1 until 31 March
DISPATCH_UTC_FROM = dt.datetime(2024, 2, 26)  # the dispatch app writes UTC for trips from this local day on
NET_FROM = dt.datetime(2024, 3, 1)  # the card provider's amounts leave VAT out from this local day on
FUEL_SEED, WORKSHOP_SEED, ENGINE_SEED = 1, 32, 77
GALLON = 3.785411784
VAT = 1.21
DEPOTS = ["AMS", "RTM", "UTR"]
MODELS = ["Ford Transit", "Mercedes Sprinter", "Renault Master", "Iveco Daily"]
STATIONS = [
    # station, brand, city, depot area, reports US gallons
    ("ST01", "Tamoil", "Amsterdam", "AMS", False), ("ST02", "Shell", "Amsterdam", "AMS", False),
    ("ST03", "Viadotto", "Zaandam", "AMS", True), ("ST04", "Esso", "Diemen", "AMS", False),
    ("ST05", "Shell", "Rotterdam", "RTM", False), ("ST06", "Tango", "Rotterdam", "RTM", False),
    ("ST07", "Viadotto", "Schiedam", "RTM", True), ("ST08", "BP", "Barendrecht", "RTM", False),
    ("ST09", "TotalEnergies", "Utrecht", "UTR", False), ("ST10", "Tango", "Utrecht", "UTR", False),
    ("ST11", "Viadotto", "Nieuwegein", "UTR", True), ("ST12", "BP", "Houten", "UTR", False),
]
WORK_ITEMS = [
    ("Oil and filter service", 140, 260), ("Brake pads front", 180, 320), ("Brake discs rear", 260, 480),
    ("Tyre replacement", 120, 220), ("Wiper blades", 25, 45), ("AdBlue system check", 60, 140),
    ("Diagnostics", 70, 120), ("Battery replacement", 150, 260), ("Headlamp bulb", 15, 40),
    ("Clutch replacement", 700, 1300), ("Air conditioning service", 90, 170), ("Suspension arm", 220, 420),
    ("Windscreen repair", 60, 110), ("Sliding door roller", 80, 190), ("Labour", 60, 300),
]


def local(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M")


def make_fleet(out: Path, truth: dict[str, object] | None = None) -> None:
    """Write the world to ``out``; ``truth``, when given, receives the true (UTC) records, for checks."""
    rng = random.Random(5156)
    frng = random.Random(FUEL_SEED)  # the fills have a stream of their own, and so has the workshop
    wrng = random.Random(WORKSHOP_SEED)
    out.mkdir(parents=True, exist_ok=True)

    # -- vehicles and drivers ---------------------------------------------------------------------
    vehicles = []  # id, plate, model, depot, year, odometer (lifetime; None for a trip-meter tracker)
    trip_meter = set(rng.sample(range(45), 12))
    for n in range(45):
        vid = f"V{101 + n}"
        depot = DEPOTS[n // 15]
        year = rng.randint(2016, 2023)
        letters = "BDFGHJKLNPRSTVXZ"
        plate = f"V{rng.choice(letters)}{rng.choice(letters)}-{rng.randint(100, 999)}-{rng.choice(letters)}"
        odo = round((2024 - year) * rng.uniform(22000, 38000) + rng.uniform(500, 9000), 2)
        vehicles.append([vid, plate, rng.choice(MODELS), depot, year, None if n in trip_meter else odo])
    night_vans = {"V117", "V121", "V124", "V129"}  # RTM vans that run the night trunk
    write_csv(out / "vehicles.csv", ["vehicle_id", "plate", "model", "depot", "year"],
              [v[:5] for v in vehicles])
    names: set[str] = set()
    drivers = []
    for n in range(72):
        while True:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if name not in names:
                names.add(name)
                break
        hired = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3200))
        drivers.append([f"D{201 + n}", name, DEPOTS[n // 24], hired.isoformat()])
    write_csv(out / "drivers.csv", ["driver_id", "name", "depot", "hired"], drivers)
    day_pool = {d: [r[0] for r in drivers if r[2] == d] for d in DEPOTS}
    night_pool = day_pool["RTM"][:4]
    day_pool["RTM"] = day_pool["RTM"][4:]

    # -- a day's work: shifts, trips, pings (true times are UTC) ----------------------------------
    shifts, trips, pings, fills = [], [], [], []
    odometer = {v[0]: v[5] for v in vehicles}
    price = 1.84
    for day in range(DAYS):
        date = START + dt.timedelta(days=day)
        price = round(min(1.95, max(1.72, price + rng.uniform(-0.008, 0.008))), 3)
        if date.weekday() == 6:
            continue
        for depot in DEPOTS:
            free = list(day_pool[depot])
            rng.shuffle(free)
            nights = list(night_pool)
            rng.shuffle(nights)
            for v in vehicles:
                vid = v[0]
                if v[3] != depot or rng.random() < 0.1:
                    continue
                night = vid in night_vans
                last_of_month = (date + dt.timedelta(days=1)).month != date.month
                if night and (date.weekday() == 5 or last_of_month or day == 0):
                    continue
                driver = nights.pop() if night else free.pop()
                if night:
                    begin = date + dt.timedelta(hours=21, minutes=rng.randrange(0, 75)) - LOCAL
                    n_trips = 2
                else:
                    begin = date + dt.timedelta(hours=6, minutes=rng.randrange(0, 150)) - LOCAL
                    n_trips = rng.choice([2, 2, 3])
                clock_in = begin - dt.timedelta(minutes=rng.randrange(10, 30))
                t = begin
                for k in range(n_trips):
                    minutes = rng.randrange(150, 230) if night else rng.randrange(90, 190)
                    end = t + dt.timedelta(minutes=minutes)
                    speed = rng.uniform(45, 62) if night else rng.uniform(24, 40)
                    km = minutes / 60 * speed
                    trips.append([t, vid, driver, end, rng.randint(2, 6) if night else rng.randint(6, 22)])
                    base = odometer[vid] if odometer[vid] is not None else 0.0
                    at = t + dt.timedelta(seconds=rng.randrange(5, 90))
                    if odometer[vid] is not None:
                        pings.append([at, vid, "IGN_ON", 0, base, len(trips)])
                    else:  # an older tracker powers up with the ignition and first reports its position
                        at += dt.timedelta(seconds=rng.randrange(60, 200))
                        pings.append([at, vid, "POS", rng.randint(5, 40), km * (at - t) / (end - t),
                                      len(trips)])
                    step = at
                    while True:
                        step += dt.timedelta(seconds=rng.randrange(540, 660))
                        if step >= end - dt.timedelta(minutes=2):
                            break
                        share = (step - t) / (end - t)
                        pings.append([step, vid, "POS", rng.randint(0, 95) if rng.random() > 0.12 else 0,
                                      base + km * min(1.0, share * rng.uniform(0.97, 1.03)), len(trips)])
                    pings.append([end, vid, "IGN_OFF", 0, base + km, len(trips)])
                    if odometer[vid] is not None:
                        odometer[vid] = round(base + km, 2)
                    t = end + dt.timedelta(minutes=rng.randrange(15, 55))
                    if k == 0 and frng.random() < 0.42:  # fill up on the way, between the first trips
                        station = frng.choice([s for s in STATIONS if s[3] == depot])
                        litres = round(frng.uniform(32, 74), 2)
                        fills.append([end + dt.timedelta(minutes=frng.randrange(3, 12)), vid, station, litres,
                                      round(price + frng.uniform(-0.04, 0.05), 3)])
                last_end = trips[-1][3]
                clock_out = last_end + dt.timedelta(minutes=rng.randrange(8, 28))
                shifts.append([clock_in, driver, depot, clock_out])

    engine, day_gateway = _engine(vehicles, trips, pings, night_vans)

    # pings: the order the trackers sent them; odometer to 1 decimal, kept monotonic within a trip
    pings.sort(key=lambda p: (p[0], p[1]))
    last: dict[int, float] = {}
    rows = []
    for at, vid, event, speed, odo, trip in pings:
        value = max(round(odo, 2), last.get(trip, 0.0))
        last[trip] = value
        rows.append([at.strftime("%Y-%m-%dT%H:%M:%SZ"), vid, event, speed, f"{value:.2f}"])
    write_csv(out / "pings.csv", ["ts", "vehicle_id", "event", "speed_kmh", "odometer_km"], rows)

    # trips: the dispatch app wrote local time, and UTC from its migration on 26 February
    trips.sort(key=lambda r: (r[0], r[1]))
    rows = []
    for n, (t, vid, driver, end, stops) in enumerate(trips, 1):
        shown = LOCAL if t + LOCAL < DISPATCH_UTC_FROM else dt.timedelta(0)
        rows.append([f"T{n:05d}", vid, driver, local(t + shown), local(end + shown), stops])
    write_csv(out / "trips.csv", ["trip_id", "vehicle_id", "driver_id", "started", "ended", "stops"], rows)

    # shifts: local time; the clock dates a clock-out with the day its shift began
    shifts.sort(key=lambda r: (r[0], r[1]))
    rows = []
    for n, (cin, driver, depot, cout) in enumerate(shifts, 1):
        cin_l, cout_l = cin + LOCAL, cout + LOCAL
        written_out = cin_l.strftime("%Y-%m-%d ") + cout_l.strftime("%H:%M")
        rows.append([f"SH{n:05d}", driver, depot, local(cin_l), written_out])
    write_csv(out / "shifts.csv", ["shift_id", "driver_id", "depot", "clock_in", "clock_out"], rows)

    # fuel: local time; quantity as the pump reports it, amount net of VAT from 1 March
    write_csv(out / "stations.csv", ["station_id", "brand", "city"], [[s[0], s[1], s[2]] for s in STATIONS])
    fills.sort(key=lambda r: (r[0], r[1]))
    rows = []
    for n, (at, vid, station, litres, unit) in enumerate(fills, 1):
        at_l = at + LOCAL
        gross = litres * unit
        quantity = round(litres / GALLON, 2) if station[4] else litres
        amount = gross / VAT if at_l >= NET_FROM else gross
        rows.append([f"F{n:05d}", vid, station[0], local(at_l), f"{quantity:.2f}", f"{amount:.2f}"])
    write_csv(out / "fuel.csv", ["txn_id", "vehicle_id", "station_id", "ts", "quantity", "amount_eur"], rows)

    # workshop: one row per job line; cost_eur is the job's running subtotal up to and including the line
    rows = []
    jobs = []
    job_costs: list[tuple[dt.datetime, str, float]] = []
    for v in vehicles:
        day = wrng.randrange(0, 12)
        while day < DAYS:
            jobs.append((START + dt.timedelta(days=day), v[0]))
            day += wrng.randrange(9, 24)
    jobs.sort()
    for n, (opened, vid) in enumerate(jobs, 1):
        k = wrng.choices([1, 2, 3, 4], [30, 35, 22, 13])[0]
        items = wrng.sample(WORK_ITEMS[:-1], k - 1) + [WORK_ITEMS[-1]] if k > 1 \
            else wrng.sample(WORK_ITEMS[:-1], 1)
        costs = [round(wrng.uniform(lo, hi), 2) for _, lo, hi in items]
        job_costs.append((opened, vid, sum(costs)))
        closed = opened + dt.timedelta(days=wrng.choice([0, 0, 1, 1, 2, 3, 5]))
        for line, item in enumerate(items, 1):
            subtotal = f"{sum(costs[:line]):.2f}"
            rows.append([f"J{n:04d}", vid, opened.date().isoformat(), closed.date().isoformat(), line,
                         item[0], subtotal])
    write_csv(out / "workshop.csv", ["job_id", "vehicle_id", "opened", "closed", "line", "item", "cost_eur"],
              rows)

    # engine: the CAN-bus gateways' reports; fuel_l as the gateway counts it (see _engine)
    rows = []
    for at, vid, delta, running in engine:
        value = running if vid in day_gateway else delta
        rows.append([at.strftime("%Y-%m-%dT%H:%M:%SZ"), vid, f"{value:.2f}"])
    write_csv(out / "engine.csv", ["ts", "vehicle_id", "fuel_l"], rows)

    if truth is not None:
        truth.update(vehicles=vehicles, trips=trips, pings=pings, shifts=shifts, fills=fills, jobs=job_costs,
                     trip_meter={vehicles[n][0] for n in trip_meter}, engine=engine, day_gateway=day_gateway)
    write_toml(out / "world.toml", "fleet",
               "A delivery company's van fleet at three depots (Amsterdam, Rotterdam, Utrecht), "
               "29 January to 24 March 2024: vehicles.csv and drivers.csv; pings.csv (what the vans' "
               "trackers sent, in the order they sent it: ignition on and off and positions every ten "
               "minutes, with speed and the tracker's odometer; ts is UTC); trips.csv (the dispatch app's "
               "trips, started and ended as the app writes them); shifts.csv (the depots' time clocks, "
               "local time); fuel.csv (the fuel card provider's transactions, local time, quantity and "
               "amount as its statement gives them) with stations.csv; workshop.csv (the workshop's "
               "jobs, one row per job line); and engine.csv (what the vans' CAN-bus gateways reported "
               "every half hour while the engine ran and at ignition off: fuel_l, the fuel the engine "
               "used, in litres, as the gateway counts it; ts is UTC).",
               "2024-03-25T06:00:00Z", 5156)


def _engine(vehicles: list[list[object]], trips: list[list[object]], pings: list[list[object]],
            night_vans: set[str]) -> tuple[list[tuple[dt.datetime, str, float, float]], set[str]]:
    """The CAN-bus gateways' reports: (ts, van, litres since the van's last report, litres since the start
    of the day), in the order sent, and the vans whose (older) gateway reports the second. A gateway
    reports every half hour from ignition on and once at ignition off. The older gateways are on day
    vans only, so the UTC day is the local day of every report they send."""
    erng = random.Random(ENGINE_SEED)
    rate = {str(v[0]): erng.uniform(9.5, 13.5) for v in vehicles}  # litres per 100 km
    ids = sorted(str(v[0]) for v in vehicles if str(v[0]) not in night_vans)
    day_gateway = set(erng.sample(ids, 16))
    km: dict[int, float] = {}
    base: dict[int, float] = {}
    for _, _, event, _, odo, trip in pings:
        if event == "IGN_ON":
            base[trip] = odo
        elif event == "IGN_OFF":
            km[trip] = odo - base.get(trip, 0.0)
    reports = []
    for n, (t, vid, _, end, _) in enumerate(trips, 1):
        litres = km[n] * rate[vid] / 100 + (end - t).total_seconds() / 3600 * erng.uniform(0.3, 0.6)
        at = t + dt.timedelta(seconds=erng.randrange(20, 120))
        stamps = []
        while at + dt.timedelta(minutes=30) < end:
            at += dt.timedelta(minutes=30)
            stamps.append(at)
        stamps.append(end + dt.timedelta(seconds=erng.randrange(2, 40)))
        weights = [erng.uniform(0.7, 1.3) for _ in stamps]
        weights[-1] *= (stamps[-1] - (stamps[-2] if len(stamps) > 1 else t)) / dt.timedelta(minutes=30)
        total = sum(weights)
        parts = [round(litres * w / total, 2) for w in weights]
        reports.extend((s, vid, p) for s, p in zip(stamps, parts, strict=True))
    reports.sort(key=lambda r: (r[0], r[1]))
    out = []
    running: dict[tuple[str, dt.date], float] = {}
    for at, vid, part in reports:
        key = (vid, at.date())
        running[key] = round(running.get(key, 0.0) + part, 2)
        out.append((at, vid, part, running[key]))
    return out, day_gateway
