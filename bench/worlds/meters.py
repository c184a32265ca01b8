"""The hard tier's ``meters`` world: a utility's smart electricity meters, October and November 2024.

Daily-read meters send a cumulative register at local midnight; half-hourly meters at large
business sites send the energy of each half hour. Like ``parcels``, the world hides facts that
show only in the sequence of one meter's rows, never in a column's shape or values:

- ``C300`` meters (business sites in England) had a firmware update in November after which
  their register is written in MWh instead of kWh: the series drops by a factor of 1,000.
- Some residential meters were exchanged in early October; the meter point keeps its id, and
  the engineer's removal read of the old meter and install read of the new one share a time.
- ``A100`` meters (homes in Wales and Scotland) have a five-digit register that rolls over
  from 99999.9 to 0.0.
- The RF head-end stamped its midnight reads in UTC from 14 October; until the clocks went back
  on 27 October they read as 23:00 the day before.
- Half-hourly meters: gateways re-send batches (same meter, period and kWh, received later),
  the clocks went back on 27 October (01:00 and 01:30 come twice, with different kWh), and a
  meter that missed half hours sends their energy together with its next half hour.
- EV chargers at some homes (31 October to 1 December): one brand's cloud stamps each half hour
  with its end, the others with its start; one brand's backend closes a session at midnight and
  opens a new one, so a night's charging shows as two sessions.

``make_worlds.py`` calls ``make_meters``; ``simulate`` also returns the ground truth, which the
task designers check the references against. The same seed gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

from common import write_toml

SEED = 4242
REGIONS = [("North", 350), ("Midlands", 350), ("South", 400), ("Wales", 200), ("Scotland", 200)]
CELTIC = {"Wales", "Scotland"}
TARIFFS = [("STANDARD", 24.50, 60.10), ("E7", 21.30, 62.40), ("BUSINESS", 19.80, 115.00),
           ("HH", 17.60, 240.00)]
START = dt.date(2024, 10, 1)
DAYS = 61  # 1 October to 30 November; the last read is at midnight on 1 December
HH_START = dt.datetime(2024, 10, 20, 23, 0)  # UTC: Monday 21 October 00:00 BST
HH_PERIODS = 14 * 48 + 2  # two weeks, with the hour that came twice on 27 October
CLOCKS_BACK = dt.datetime(2024, 10, 27, 1, 0)  # UTC
RF_FROM = dt.date(2024, 10, 14)  # the RF head-end writes UTC from this read on
EV_SEED = 4243
EV_FIRST = dt.datetime(2024, 11, 1)  # November is GMT: local time is UTC
#: brand: (its cloud stamps a half hour with its end, its backend splits sessions at midnight)
EV_BRANDS = {"Wattly": (False, False), "Ohmio": (True, False), "Voltra": (False, True)}


@dataclass
class Truth:
    """What really happened, for checking the references."""

    daily_kwh: dict[str, list[float]] = field(default_factory=dict)  # meter -> kWh per day (61 days)
    hh_kwh: dict[str, list[float]] = field(default_factory=dict)  # meter -> kWh per half hour (674)
    catchup: dict[str, set[int]] = field(default_factory=dict)  # meter -> indexes of catch-up rows
    site_of: dict[str, str] = field(default_factory=dict)


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    lines = [",".join(header)]
    for row in rows:
        cells = [str(v) for v in row]
        assert all("," not in c for c in cells), cells
        lines.append(",".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def local_of(utc: dt.datetime) -> dt.datetime:
    """UK local time (BST until 01:00 UTC on 27 October, GMT after)."""
    return utc + dt.timedelta(hours=1 if utc < CLOCKS_BACK else 0)


def simulate() -> tuple[dict[str, list[list[object]]], Truth]:
    rng = random.Random(SEED)
    truth = Truth()
    # colder into November
    weather = [1.0 + 0.25 * (d / DAYS) + rng.uniform(-0.18, 0.18) for d in range(DAYS)]
    sites, meters = [], []
    n = 0
    for region, count in REGIONS:
        for _ in range(count):
            n += 1
            r = rng.random()
            tariff = "HH" if r < 0.047 else "BUSINESS" if r < 0.135 else "E7" if r < 0.40 else "STANDARD"
            sites.append([f"S{n:04d}", region, tariff])
    daily_rows: list[tuple[dt.datetime, int, str, str, str]] = []  # (utc, order, meter, read_at, register)
    hh_rows: list[tuple[str, str, str, str]] = []  # (received_at, meter, period, kwh)
    ids = rng.sample(range(100000, 999999), len(sites))
    swap_pool, rf = [], set()
    for (site, region, tariff), num in zip(sites, ids, strict=True):
        meter = f"M{num}"
        truth.site_of[meter] = site
        installed = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(8 * 365))
        if tariff == "HH":
            model = "H400"
        elif tariff == "BUSINESS":
            model = "B200" if region in CELTIC else "C300"
        else:
            model = "A100" if region in CELTIC and rng.random() < 0.6 else "B200"
        meters.append([meter, site, model, installed.isoformat()])
        if tariff == "HH":
            hh_rows.extend(_half_hourly(rng, meter, truth))
            continue
        if rng.random() < 0.3:
            rf.add(meter)
        base = {"STANDARD": rng.uniform(5, 14), "E7": rng.uniform(10, 26),
                "BUSINESS": rng.uniform(150, 1400)}[tariff]
        weekend = 0.8 if tariff == "BUSINESS" else 1.0  # d % 7 in (4, 5): Saturday and Sunday
        days = [round(base * weather[d] * rng.uniform(0.75, 1.25) * (weekend if d % 7 in (4, 5) else 1.0), 1)
                for d in range(DAYS)]
        truth.daily_kwh[meter] = days
        total = sum(days)
        if model == "A100":
            wrap_day = rng.randrange(33, 59) if rng.random() < 0.25 else None  # rolls over in November
            if wrap_day is not None:
                start = 100000.0 - sum(days[:wrap_day]) - rng.uniform(0.5, days[wrap_day] - 0.5)
            else:
                start = rng.uniform(2000, 99000 - total)
        elif model == "C300":
            start = rng.uniform(40000, 900000)
        else:
            start = rng.uniform(1500, 60000)
        start = round(start, 1)
        firmware = START + dt.timedelta(days=rng.randrange(36, 51)) if model == "C300" else None
        swap = None
        if model == "B200" and tariff in ("STANDARD", "E7") and rng.random() < 0.06:
            swap = (rng.randrange(1, 11), rng.randrange(8 * 60, 17 * 60), rng.random())
            swap_pool.append(meter)
        register = start
        for d in range(DAYS + 1):
            day = START + dt.timedelta(days=d)
            bst = day <= dt.date(2024, 10, 27)
            utc = dt.datetime.combine(day, dt.time()) - dt.timedelta(hours=1 if bst else 0)
            stamped = utc if meter in rf and day >= RF_FROM else local_of(utc)
            shown = f"{register % 100000.0 if model == 'A100' else register:.1f}"
            if firmware is not None and day >= firmware:
                shown = f"{register / 1000:.3f}"
            daily_rows.append((utc, 0, meter, stamped.strftime("%Y-%m-%d %H:%M"), shown))
            if d == DAYS:
                break
            if swap is not None and swap[0] == d:
                part = round(days[d] * swap[1] / 1440, 1)
                visit = utc + dt.timedelta(minutes=swap[1])
                removal = register + part
                new = round(rng.uniform(removal + 3000, removal + 40000) if swap[2] < 0.6
                            else rng.uniform(200, removal - 500), 1)
                read_at = local_of(visit).strftime("%Y-%m-%d %H:%M")
                daily_rows.append((visit, 1, meter, read_at, f"{removal:.1f}"))
                daily_rows.append((visit, 2, meter, read_at, f"{new:.1f}"))
                register = new + days[d] - part
            else:
                register += days[d]
            register = round(register, 1)
    daily_rows.sort()
    hh_rows.sort()
    return {
        "sites": sites,
        "meters": sorted(meters),
        "tariffs": [[t, f"{u:.2f}", f"{s:.2f}"] for t, u, s in TARIFFS],
        "readings": [[m, at, v] for _, _, m, at, v in daily_rows],
        "halfhourly": [[m, p, k, r] for r, m, p, k in hh_rows],
    }, truth


def _half_hourly(rng: random.Random, meter: str, truth: Truth) -> list[tuple[str, str, str, str]]:
    peak = rng.uniform(8, 160)
    kwh = []
    for i in range(HH_PERIODS):
        local = local_of(HH_START + dt.timedelta(minutes=30 * i))
        minutes = local.hour * 60 + local.minute
        weekend = local.weekday() >= 5
        if 7 * 60 <= minutes < 19 * 60:
            level = (0.45 if weekend else 0.9) * rng.uniform(0.8, 1.1)
        else:
            level = 0.28 * rng.uniform(0.85, 1.15)
        kwh.append(round(peak * level, 3))
    dst = [i for i in range(HH_PERIODS) if local_of(HH_START + dt.timedelta(minutes=30 * i)).date()
           == dt.date(2024, 10, 27) and local_of(HH_START + dt.timedelta(minutes=30 * i)).hour == 1]
    assert len(dst) == 4 and kwh[dst[0]] != kwh[dst[2]] and kwh[dst[1]] != kwh[dst[3]]
    truth.hh_kwh[meter] = kwh
    # Gaps: the meter misses 2-6 half hours and sends their energy with the next one.
    top = max(range(HH_PERIODS), key=lambda j: kwh[j])
    missing: set[int] = set()
    sent = list(kwh)
    catchup = set()
    for g in range(rng.choice([1, 2, 2, 3])):
        while True:
            at = rng.randrange(10, HH_PERIODS - 10)
            length = rng.randrange(2, 7)
            span = range(at - length, at + 1)
            daytime = 7 * 60 <= local_of(HH_START + dt.timedelta(minutes=30 * at)).hour * 60 < 18 * 60
            clear = all(j not in missing and j not in catchup and abs(j - dst[0]) > 6 and j != top
                        for j in range(at - 8, at + 8))  # the peak half hour is sent on its own
            if clear and (daytime or g == 2):
                break
        for j in range(at - length, at):
            missing.add(j)
        sent[at] = round(sum(kwh[j] for j in span), 3)
        catchup.add(at)
    truth.catchup[meter] = catchup
    rows = []
    received = {}
    for i in range(HH_PERIODS):
        if i in missing:
            continue
        end = HH_START + dt.timedelta(minutes=30 * (i + 1))
        got = end + dt.timedelta(seconds=rng.randrange(30, 1500))
        received[i] = got
        period = local_of(HH_START + dt.timedelta(minutes=30 * i)).strftime("%Y-%m-%d %H:%M")
        rows.append((got.strftime("%Y-%m-%dT%H:%M:%SZ"), meter, period, f"{sent[i]:.3f}"))
    # Re-sends: a gateway sends a batch again, hours later; the rows are the same.
    for _ in range(rng.randrange(3, 7)):
        at = rng.randrange(0, HH_PERIODS - 8)
        later = dt.timedelta(minutes=rng.randrange(60, 720))
        for i in range(at, at + rng.randrange(2, 9)):
            if i in received:
                period = local_of(HH_START + dt.timedelta(minutes=30 * i)).strftime("%Y-%m-%d %H:%M")
                got = received[i] + later
                rows.append((got.strftime("%Y-%m-%dT%H:%M:%SZ"), meter, period, f"{sent[i]:.3f}"))
    return rows


def ev(sites: list[list[object]]) -> tuple[dict[str, list[list[object]]], dict[str, object]]:
    """The EV chargers at some homes, 31 October to 1 December, with the truth: each charger's energy per
    half hour (by the half hour's start) and its sessions whole."""
    rng = random.Random(EV_SEED)
    homes = [s for s in sites if s[2] in ("STANDARD", "E7")]
    chosen = sorted(rng.sample(homes, 90))
    chargers, halves, sessions = [], [], []
    true_half: dict[tuple[str, dt.datetime], float] = {}
    true_sessions = []
    half = dt.timedelta(minutes=30)
    for n, (site, _, _) in enumerate(chosen):
        charger = f"CP{1001 + n}"
        brand = rng.choice(sorted(EV_BRANDS))
        end_stamped, splits = EV_BRANDS[brand]
        installed = dt.date(2020, 6, 1) + dt.timedelta(days=rng.randrange(1500))
        chargers.append([charger, site, brand, installed.isoformat()])
        power = rng.uniform(6.6, 7.3)  # kW the car draws
        free = EV_FIRST - dt.timedelta(days=1)
        patient = rng.uniform(0.5, 0.95)  # how often the driver lets it wait for the off-peak window
        for day in range(-1, 31):  # the export runs from 31 October to 1 December
            date = EV_FIRST + dt.timedelta(days=day)
            plans = []
            if rng.random() < (0.3 if date.weekday() >= 5 else 0.08):  # a top-up in the day
                at = date + dt.timedelta(minutes=rng.randrange(9 * 60, 14 * 60))
                plans.append((at, at, rng.uniform(4, 14), at + dt.timedelta(minutes=rng.randrange(90, 300))))
            if rng.random() < 0.72 and day < 30:  # the export ends on 1 December
                at = date + dt.timedelta(minutes=rng.randrange(17 * 60, 22 * 60 + 30))
                need = rng.uniform(6, 42)
                start = date + dt.timedelta(days=1, minutes=30) if rng.random() < patient else at
                done = start + dt.timedelta(hours=need / power)
                leave = date + dt.timedelta(days=1, minutes=rng.randrange(6 * 60 + 30, 8 * 60 + 45))
                plans.append((at, start, need, max(leave, done + dt.timedelta(minutes=rng.randrange(5, 40)))))
            for plugged, start, need, unplugged in plans:
                done = start + dt.timedelta(hours=need / power)
                if plugged < free:  # the car of the day before is still plugged in
                    continue
                unplugged = max(unplugged, done + dt.timedelta(minutes=7)).replace(second=0, microsecond=0)
                free = unplugged + dt.timedelta(minutes=20)
                energy = {}
                t = start - dt.timedelta(minutes=start.minute % 30, seconds=start.second,
                                         microseconds=start.microsecond)
                while t < done:
                    overlap = (min(t + half, done) - max(t, start)).total_seconds() / 3600
                    kwh = round(power * overlap, 3)
                    if kwh > 0:
                        energy[t] = kwh
                    t += half
                for t, kwh in energy.items():
                    true_half[(charger, t)] = kwh
                    shown = t + half if end_stamped else t
                    halves.append([charger, shown.strftime("%Y-%m-%d %H:%M"), f"{kwh:.3f}"])
                total = sum(energy.values())
                true_sessions.append((charger, plugged, unplugged, total))
                cuts = [plugged]
                midnight = plugged.replace(hour=0, minute=0) + dt.timedelta(days=1)
                while splits and midnight < unplugged:
                    cuts.append(midnight)
                    midnight += dt.timedelta(days=1)
                cuts.append(unplugged)
                for a, b in zip(cuts, cuts[1:], strict=False):
                    part = sum(k for t, k in energy.items()  # a cut falls between two half hours
                               if (a == plugged or a <= t) and (b == unplugged or t < b))
                    sessions.append([plugged if a == plugged else a, charger, a, b, part])
    sessions.sort(key=lambda r: (r[1], r[2]))  # the export lists each charger's sessions in turn
    halves.sort(key=lambda r: (r[1], r[0]))
    rows = [[f"EVS{k + 1:05d}", c, a.strftime("%Y-%m-%d %H:%M"), b.strftime("%Y-%m-%d %H:%M"), f"{e:.2f}"]
            for k, (_, c, a, b, e) in enumerate(sessions)]
    return ({"chargers": chargers, "ev_sessions": rows, "ev_halfhours": halves},
            {"half": true_half, "sessions": true_sessions})


def make_meters(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    tables, _ = simulate()
    evs, _ = ev(tables["sites"])
    write_csv(out / "chargers.csv", ["charger", "site", "brand", "installed"], evs["chargers"])
    write_csv(out / "ev_sessions.csv", ["session_id", "charger", "plugged_in", "unplugged", "kwh"],
              evs["ev_sessions"])
    write_csv(out / "ev_halfhours.csv", ["charger", "period", "kwh"], evs["ev_halfhours"])
    write_csv(out / "sites.csv", ["site", "region", "tariff"], tables["sites"])
    write_csv(out / "meters.csv", ["meter", "site", "model", "installed"], tables["meters"])
    write_csv(out / "tariffs.csv", ["tariff", "unit_rate_p", "standing_p_per_day"], tables["tariffs"])
    write_csv(out / "readings.csv", ["meter", "read_at", "register"], tables["readings"])
    write_csv(out / "halfhourly.csv", ["meter", "period", "kwh", "received_at"], tables["halfhourly"])
    write_toml(out / "world.toml", "meters",
               "A UK electricity supplier's smart meters, October and November 2024. sites.csv (region and "
               "tariff of each site), meters.csv (the meter point at each site: its model and when it was "
               "installed), tariffs.csv (unit rate in pence per kWh and standing charge in pence per day). "
               "readings.csv: the register readings of the daily-read meters (sites on STANDARD, E7 and "
               "BUSINESS), as the head-ends stored them, in the order they stored them: read_at is the time "
               "of the reading as written, register the cumulative register as the meter reported it; "
               "meters read themselves at midnight, and an engineer on a visit also takes reads. "
               "halfhourly.csv: what the meters of the HH sites sent from 21 October to 3 November, in the "
               "order it was received: period is the local start of the half hour the meter reported, kwh "
               "the energy it reported with it, received_at the head-end's clock (UTC). "
               "chargers.csv: the EV chargers at some homes (site, brand, when installed); ev_sessions.csv: "
               "their sessions from 31 October to 1 December (when a car was plugged in and unplugged, "
               "local time, and the kWh delivered); ev_halfhours.csv: the energy each charger delivered "
               "per half hour (period is the half hour, local time; half hours without energy are left "
               "out).",
               "2024-12-02T00:00:00Z", SEED)
