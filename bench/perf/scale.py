"""How the cost of a run grows with its input, worlds against its peers at each size.

One generated sales table (id, region, product, qty, price, day; see
scale_data.py) at 10,000, 100,000 and 1,000,000 rows, and these workloads,
every peer measured in the same run, taking turns (best of 3 runs at 10k, of
2 at 100k, one at 1M; warm SQL best of 5, 3 at 1M):

    js         `readCSV('sales.csv')` and a loop summing qty*price by region, in
               worlds; a naive split-based parse with the same loop, in worlds
               and in Node (timed inside the script, so Node's start is left out).
               worlds readCSV / worlds split is the helper's cost, worlds split /
               node split the engine's
    sql cold   `World(files=...)` to the first answer of
               `SELECT region, COUNT(*), SUM(qty*price) FROM sales GROUP BY region`,
               the warm-guest pool cleared first, split into loading the tables
               (`world.schema()`) and the first run; peers: the stdlib sqlite3
               (csv + executemany, then the query), DuckDB (read_csv_auto, then the query)
    sql warm   the same query again on the warm world, against sqlite3 on the same
               database (`world.schema().database`) and DuckDB's loaded table
    memory     guest memory (`stats.memory_bytes`) against the table's SQLite size
    plans      two agent-written cleaning queries over 10,000 payments x 400
               customers with messy keys, in worlds and the stdlib sqlite3 on the
               same database: SQLite steps (counted every 1,000, as worlds counts
               them) and `EXPLAIN QUERY PLAN`; flagged when worlds takes more than
               2x the native steps or plans differently (best of 2 runs)

worlds runs get generous limits (fuel 10**12, 600 s, 1 GiB) so the figures are
costs, not stops; the `defaults` column says whether the same run fits the
world's default limits (`ok`, or the limit that stopped it).

Output: the tables on stdout, a progress bar on stderr (BENCH_PROGRESS=0 hides
it), and in --out (default bench/perf/results/, gitignored) scale.txt,
scale.json and scale.png (microseconds per row against rows, log-log).

Usage: python bench/perf/scale.py [--rows 10000,100000,1000000] [--only js,sql,plans] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from tqdm import tqdm

from worlds import World
from worlds.languages.sql.cache import flush as flush_table_cache
from worlds.languages.sql.engine import POOL
from worlds.sandbox.engines import cache_dir

try:
    from . import scale_data, scale_report
    from .scale_report import Figure, PlanFigure
except ImportError:  # run as a script: `python bench/perf/scale.py`
    import scale_data  # type: ignore[no-redef]
    import scale_report  # type: ignore[no-redef]
    from scale_report import Figure, PlanFigure  # type: ignore[no-redef]

try:
    import duckdb
except ImportError:  # measured without DuckDB then
    duckdb = None

SIZES = (10_000, 100_000, 1_000_000)
FAMILIES = ("js", "sql", "plans")
GENEROUS = {"fuel": 10**12, "wall_ms": 600_000, "memory_bytes": 1 << 30}
OUT = Path(__file__).resolve().parent / "results"

QUERY = "SELECT region, COUNT(*), SUM(qty*price) FROM sales GROUP BY region"
SALES_DDL = "CREATE TABLE sales (id INTEGER, region TEXT, product TEXT, qty INTEGER, price REAL, day TEXT)"

HELPER = """\
const rows = readCSV('sales.csv');
const totals = {};
for (const r of rows) totals[r.region] = (totals[r.region] ?? 0) + r.qty * r.price;
totals
"""
SPLIT_BODY = """\
const lines = fs.readFileSync('sales.csv', 'utf8').trim().split('\\n');
const head = lines[0].split(',');
const region = head.indexOf('region'), qty = head.indexOf('qty'), price = head.indexOf('price');
const totals = {};
for (let i = 1; i < lines.length; i++) {
  const cells = lines[i].split(',');
  totals[cells[region]] = (totals[cells[region]] ?? 0) + Number(cells[qty]) * Number(cells[price]);
}
"""
SPLIT = SPLIT_BODY + "totals\n"
# What readCSV does, written plainly for Node: one object per row, each cell typed
# by readCSV's rule (empty is null; a number, once trimmed, is a Number).
TYPED_BODY = """\
const NUMBER = /^-?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?$/;
const lines = fs.readFileSync('sales.csv', 'utf8').split('\\n');
if (lines[lines.length - 1] === '') lines.pop();
const head = lines[0].split(',');
const rows = [];
for (let i = 1; i < lines.length; i++) {
  const cells = lines[i].split(',');
  const row = {};
  for (let j = 0; j < head.length; j++) {
    const s = cells[j];
    row[head[j]] = s === '' ? null : NUMBER.test(s.trim()) ? Number(s) : s;
  }
  rows.push(row);
}
const totals = {};
for (const r of rows) totals[r.region] = (totals[r.region] ?? 0) + r.qty * r.price;
"""


def node_script(body: str) -> str:
    """``body`` timed inside Node (its start left out), printing the totals and seconds."""
    return ("const fs = require('fs');\nconst started = process.hrtime.bigint();\n" + body
            + "const seconds = Number(process.hrtime.bigint() - started) / 1e9;\n"
            + "console.log(JSON.stringify({ totals, seconds }));\n")


NODE = {"node split": node_script(SPLIT_BODY), "node typed": node_script(TYPED_BODY)}

# Agent-written queries from issue 11: a defensive clean-then-join, and an anti-join on cleaned keys.
PLAN_QUERIES = {
    "clean-join": """\
WITH c AS (SELECT upper(trim(key)) AS ckey, name FROM customers),
     p AS (SELECT id, upper(trim(customer_key)) AS ckey, amount FROM payments)
SELECT c.name, COUNT(*) AS n, SUM(p.amount) AS total
FROM p JOIN c ON p.ckey = c.ckey
GROUP BY c.name
ORDER BY total DESC""",
    "not-exists": """\
SELECT p.id, p.customer_key, p.amount
FROM payments p
WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE upper(trim(c.key)) = upper(trim(p.customer_key)))""",
}

#: Diagnostic codes of the limits, as the `defaults` column names them.
STOPS = {"RUN1001": "fuel", "RUN1002": "wall", "RUN1003": "memory", "RUN1004": "output",
         "RUN1005": "writes", "RUN1006": "stack"}


#: Timed runs of each plans query (best of these).
PLAN_REPS = 2


def reps(rows: int) -> int:
    return 3 if rows <= 10_000 else 2 if rows <= 100_000 else 1


def warm_reps(rows: int) -> int:
    return 5 if rows <= 100_000 else 3


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def verdict(result: Any) -> str:
    """`ok`, or the limit (else the diagnostic code) that ended the run."""
    if result.ok:
        return "ok"
    code = next(d.code for d in result.diagnostics if d.severity == "error")
    return STOPS.get(code, code)


def failure(result: Any) -> str:
    return "" if result.ok else "FAILED " + verdict(result)


def same_totals(a: dict[str, float], b: dict[str, float]) -> bool:
    return a.keys() == b.keys() and all(math.isclose(a[k], b[k], rel_tol=1e-9) for k in a)


def same_rows(a: Iterable[Iterable[Any]], b: Iterable[Iterable[Any]]) -> bool:
    """Equal up to row order and float rounding (DuckDB sums in another order)."""
    def key(row: Iterable[Any]) -> list[Any]:
        return [round(v, 4) if isinstance(v, float) else v for v in row]
    return sorted(map(key, a), key=repr) == sorted(map(key, b), key=repr)


def pool_size() -> int | None:
    """Warm guests alive (a world's guest is released after a run that grew past its memory bound)."""
    try:
        return len(POOL)
    except TypeError:
        return None


class Bench:
    """One run of the family: sizes, peers, a progress bar, and the figures gathered."""

    def __init__(self, sizes: list[int], only: set[str], folder: Path, progress: bool) -> None:
        self.sizes, self.only, self.folder = sizes, only, folder
        self.node = shutil.which("node")
        self.figures: list[Figure] = []
        self.plans: list[PlanFigure] = []
        self.defaults: dict[int, dict[str, Any]] = {}
        steps_per_size = ((2 + 2 * bool(self.node)) if "js" in only else 0) + (5 if "sql" in only else 0)
        total = steps_per_size * len(sizes) + (2 * len(PLAN_QUERIES) if "plans" in only else 0)
        self.bar = tqdm(total=total, file=sys.stderr, unit="step", disable=not progress, leave=False)

    def step(self, what: str) -> None:
        self.bar.set_description(what)

    def done(self) -> None:
        self.bar.update(1)

    def run(self) -> None:
        rows = scale_data.sales_rows(max(self.sizes)) if self.only & {"js", "sql"} else []
        for n in self.sizes:
            data = scale_data.sales_csv(rows, n)
            path = self.folder / "sales.csv"
            path.write_bytes(data)
            self.defaults[n] = World(files={"sales.csv": data}).limits.model_dump()
            if "js" in self.only:
                self.js(n, data)
            if "sql" in self.only:
                self.sql(n, data, path)
        if "plans" in self.only:
            self.plan_queries()
        self.bar.close()

    # -- JS ---------------------------------------------------------------------------

    def js(self, n: int, data: bytes) -> None:
        world = World(files={"sales.csv": data})
        programs = {"worlds readCSV": HELPER, "worlds split": SPLIT}
        best: dict[str, tuple[float, Any]] = {}
        node_totals: dict[str, float] | None = None
        for _ in range(reps(n)):
            for name, code in programs.items():
                self.step(f"js {n:,} {name}")
                seconds, result = timed(lambda code=code: world.run(code, limits=GENEROUS))
                if name not in best or seconds < best[name][0]:
                    best[name] = (seconds, result)
            for name, source in NODE.items() if self.node else ():
                self.step(f"js {n:,} {name}")
                script = self.folder / "node.js"
                script.write_text(source)
                out = subprocess.run([self.node, str(script)], cwd=self.folder, capture_output=True,
                                     text=True, check=True)
                answer = json.loads(out.stdout.strip().splitlines()[-1])
                node_totals = answer["totals"]
                if name not in best or answer["seconds"] < best[name][0]:
                    best[name] = (answer["seconds"], None)
        for name, code in programs.items():
            seconds, result = best[name]
            self.done()
            self.step(f"js {n:,} {name} under default limits")
            note = failure(result)
            if result.ok and node_totals is not None and not same_totals(result.value, node_totals):
                note = "DISAGREES with node"
            self.figures.append(Figure("js", name, n, seconds, fuel=result.stats.fuel,
                                       memory_bytes=result.stats.memory_bytes,
                                       defaults=verdict(world.run(code)), ok=result.ok, note=note))
        for name in NODE if self.node else ():
            self.figures.append(Figure("js", name, n, best[name][0]))
            self.done()

    # -- SQL --------------------------------------------------------------------------

    def sql(self, n: int, data: bytes, path: Path) -> None:
        self.step(f"sql {n:,} cold worlds")
        POOL.clear()
        # First time on this machine: no tables kept on disk from an earlier load.
        shutil.rmtree(cache_dir() / "tables", ignore_errors=True)
        start = time.perf_counter()
        world = World(files={"sales.csv": data})
        schema = world.schema()
        loaded = time.perf_counter()
        first = world.run(QUERY, lang="sql", limits=GENEROUS)
        answered = time.perf_counter()
        kept_cold = pool_size()
        table_bytes = len(schema.database)
        cold = Figure("sql cold", "worlds", n, answered - start, fuel=first.stats.fuel,
                      memory_bytes=first.stats.memory_bytes, table_bytes=table_bytes,
                      parts={"load": loaded - start, "first": answered - loaded}, ok=first.ok,
                      note=failure(first), kept=bool(kept_cold) if kept_cold is not None else None)
        self.done()

        self.step(f"sql {n:,} cold worlds, tables on disk")
        POOL.clear()
        flush_table_cache()  # the first load writes its tables beside its first run
        start = time.perf_counter()
        again = World(files={"sales.csv": data})
        again.schema()
        loaded = time.perf_counter()
        rerun = again.run(QUERY, lang="sql", limits=GENEROUS)
        answered = time.perf_counter()
        self.figures.append(Figure("sql cold", "worlds, cached", n, answered - start,
                                   fuel=rerun.stats.fuel, memory_bytes=rerun.stats.memory_bytes,
                                   table_bytes=table_bytes, parts={"load": loaded - start,
                                                                   "first": answered - loaded},
                                   ok=rerun.ok, note=failure(rerun)))
        self.done()

        self.step(f"sql {n:,} cold sqlite3")
        start = time.perf_counter()
        native = sqlite3.connect(":memory:")
        reader = csv.reader(io.StringIO(data.decode("utf-8-sig")))
        next(reader)
        native.execute(SALES_DDL)
        native.executemany("INSERT INTO sales VALUES (?, ?, ?, ?, ?, ?)", reader)
        loaded = time.perf_counter()
        expected = native.execute(QUERY).fetchall()
        answered = time.perf_counter()
        native.close()
        if first.ok and not same_rows(first.table.rows, expected):
            cold.note = "DISAGREES with sqlite3"
        self.figures.append(cold)
        self.figures.append(Figure("sql cold", "sqlite3", n, answered - start,
                                   parts={"load": loaded - start, "first": answered - loaded}))
        self.done()

        duck = None
        if duckdb is not None:
            self.step(f"sql {n:,} cold duckdb")
            start = time.perf_counter()
            duck = duckdb.connect()
            duck.execute(f"CREATE TABLE sales AS SELECT * FROM read_csv_auto('{path.as_posix()}')")
            loaded = time.perf_counter()
            answer = duck.execute(QUERY).fetchall()
            answered = time.perf_counter()
            self.figures.append(Figure("sql cold", "duckdb", n, answered - start,
                                       parts={"load": loaded - start, "first": answered - loaded},
                                       note="" if same_rows(answer, expected) else "DISAGREES with sqlite3"))
        self.done()

        self.step(f"sql {n:,} warm")
        native = sqlite3.connect(":memory:")
        native.deserialize(schema.database)
        best: dict[str, float] = {}
        last = first
        for _ in range(warm_reps(n)):
            seconds, last = timed(lambda: world.run(QUERY, lang="sql", limits=GENEROUS))
            best["worlds"] = min(best.get("worlds", math.inf), seconds)
            seconds, _ = timed(lambda: native.execute(QUERY).fetchall())
            best["sqlite3"] = min(best.get("sqlite3", math.inf), seconds)
            if duck is not None:
                seconds, _ = timed(lambda: duck.execute(QUERY).fetchall())
                best["duckdb"] = min(best.get("duckdb", math.inf), seconds)
        kept_warm = pool_size()
        native.close()
        if duck is not None:
            duck.close()
        self.done()

        # Default limits last, from a cleared pool: a cold start, then a warm run, under the
        # world's own limits (they may grow with the input).
        self.step(f"sql {n:,} under default limits")
        POOL.clear()
        cold.defaults = verdict(world.run(QUERY, lang="sql"))
        warm_defaults = verdict(world.run(QUERY, lang="sql"))
        POOL.clear()  # and no spare starting in the background while the next workload is timed
        self.figures.append(Figure("sql warm", "worlds", n, best["worlds"], fuel=last.stats.fuel,
                                   memory_bytes=last.stats.memory_bytes, table_bytes=table_bytes,
                                   defaults=warm_defaults, ok=last.ok, note=failure(last),
                                   kept=bool(kept_warm) if kept_warm is not None else None))
        self.figures.append(Figure("sql warm", "sqlite3", n, best["sqlite3"]))
        if "duckdb" in best:
            self.figures.append(Figure("sql warm", "duckdb", n, best["duckdb"]))
        self.done()

    # -- plans ------------------------------------------------------------------------

    def plan_queries(self) -> None:
        world = World(files=scale_data.payments_world())
        schema = world.schema()
        native = sqlite3.connect(":memory:")
        native.deserialize(schema.database)
        ticks = [0]

        def tick() -> int:
            ticks[0] += 1
            return 0

        native.set_progress_handler(tick, 1000)
        POOL.clear()
        world.run("SELECT 1", lang="sql", limits=GENEROUS)  # start the guest: time queries, not a start
        for name, query in PLAN_QUERIES.items():
            self.step(f"plans {name}")
            best: dict[str, tuple[float, Any]] = {}
            for _ in range(PLAN_REPS):
                measured = timed(lambda query=query: world.run(query, lang="sql", limits=GENEROUS))
                best["worlds"] = min(best.get("worlds", measured), measured, key=lambda m: m[0])
                ticks[0] = 0
                measured = timed(lambda query=query: native.execute(query).fetchall())
                best["sqlite3"] = min(best.get("sqlite3", measured), measured, key=lambda m: m[0])
            native_steps = ticks[0] * 1000
            (seconds, result), (native_seconds, expected) = best["worlds"], best["sqlite3"]
            explained = world.run("EXPLAIN QUERY PLAN " + query, lang="sql", limits=GENEROUS)
            ours = (scale_report.plan_lines(explained.table.rows) if explained.ok and explained.table
                    else [f"(no plan: {verdict(explained)})"])
            theirs = scale_report.plan_lines(native.execute("EXPLAIN QUERY PLAN " + query).fetchall())
            note = failure(result)
            if result.ok and not same_rows(result.table.rows, expected):
                note = "DISAGREES with sqlite3"
            self.plans.append(PlanFigure(name, query, result.stats.fuel, native_steps, seconds,
                                         native_seconds, ours, theirs, defaults="-", ok=result.ok, note=note))
            self.done()
        native.close()
        # Default limits after every timing: a run under them may start a spare guest in the background.
        for plan in self.plans:
            self.step(f"plans {plan.name} under default limits")
            POOL.clear()
            plan.defaults = verdict(world.run(plan.query, lang="sql"))
            self.done()
        POOL.clear()


def versions(node: str | None) -> dict[str, str]:
    import worlds
    found = {"worlds": str(Path(worlds.__file__).resolve().parent), "python": sys.version.split()[0],
             "sqlite3 (host)": sqlite3.sqlite_version}
    guest = World(files={"t.csv": "a\n1\n"}).run("SELECT sqlite_version()", lang="sql")
    found["sqlite (worlds guest)"] = str(guest.table.rows[0][0]) if guest.ok and guest.table else "?"
    if node:
        found["node"] = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    if duckdb is not None:
        found["duckdb"] = duckdb.__version__
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default=",".join(map(str, SIZES)),
                        help="comma-separated table sizes (default: 10000,100000,1000000)")
    parser.add_argument("--only", default=",".join(FAMILIES),
                        help="comma-separated workloads among js, sql, plans (default: all)")
    parser.add_argument("--out", default=str(OUT), help="folder for scale.txt, scale.json and scale.png")
    args = parser.parse_args()
    try:
        sizes = sorted({int(r.replace("_", "")) for r in args.rows.split(",") if r.strip()})
    except ValueError:
        parser.error(f"--rows takes whole numbers separated by commas, not {args.rows!r}")
    only = {f.strip() for f in args.only.split(",") if f.strip()}
    if not sizes or min(sizes) < 1 or not only or only - set(FAMILIES):
        parser.error(f"--rows needs positive sizes; --only takes {', '.join(FAMILIES)}")

    progress = os.environ.get("BENCH_PROGRESS", "1") != "0"
    with tempfile.TemporaryDirectory(prefix="worlds-scale-") as folder:
        # Compile and load both engines first: every figure below is a run in a warm process.
        World().run("1+2")
        if duckdb is not None:
            duckdb.connect().execute("SELECT 1").fetchall()
        found = versions(shutil.which("node"))
        POOL.clear()
        bench = Bench(sizes, only, Path(folder), progress)
        bench.run()
    text = scale_report.render(bench.figures, bench.plans, found, bench.defaults)
    print(text)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale.txt").write_text(text + "\n")
    scale_report.write_json(out / "scale.json", bench.figures, bench.plans, found, bench.defaults)
    if bench.figures and scale_report.plot(out / "scale.png", bench.figures):
        print(f"\nwrote {out / 'scale.txt'}, {out / 'scale.json'}, {out / 'scale.png'}")
    else:
        print(f"\nwrote {out / 'scale.txt'}, {out / 'scale.json'}")


if __name__ == "__main__":
    main()
