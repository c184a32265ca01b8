"""Performance of worlds against its peers, measured side by side in one run.

Named workloads, JSON output, and ratios against peers measured in the same
run, interleaved (one call of each system in turn) after a warm-up:

    trivial    a fresh sandbox evaluating `1+2`           (p50, p95)
    fib25      recursive fib(25), fuel metering on        (p50)
    csv10k     read a 10,000-row CSV and aggregate it     (p50)
    check2k    the static checker on a 2,000-line program (p50; no sandbox)
    sql...     SQL workloads, see bench/perf/sql.py (against the stdlib sqlite3)

Peers (the optional `perf` extra): modebox (`run_sync`) and quickjs-rs (a new
context per run). Usage: `python bench/perf/run.py [--quick] [--json FILE]`.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from collections.abc import Callable
from typing import Any

from worlds import World

try:
    from . import sql
except ImportError:  # run as a script: `python bench/perf/run.py`
    import sql  # type: ignore[no-redef]

FIB = "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\nfib(25)"
CSV_PROGRAM = """\
const lines = fs.readFileSync('events.csv', 'utf8').trim().split('\\n').slice(1);
const totals = {};
for (const line of lines) {
  const [id, kind, amount] = line.split(',');
  totals[kind] = (totals[kind] ?? 0) + Number(amount);
}
Object.keys(totals).length
"""


CHUNK = """\
// block {i}: totals by region
const rows{i} = fs.readFileSync('events.csv', 'utf8').trim().split('\\n').slice(1);
function total{i}(items, key = 'amount') {{
  let sum = 0;
  for (const [index, item] of items.entries()) {{
    if (item && typeof item[key] === 'number') sum += item[key] * (index + 1);
    else if (Array.isArray(item)) {{ sum += item.length; }}
  }}
  return {{ sum, count: items.length, label: `total ${{key}}: ${{sum.toFixed(2)}}` }};
}}

class Acc{i} extends Map {{
  #hidden = 0;
  get extra() {{ return this.#hidden; }}
  add(k, v) {{ this.set(k, (this.get(k) ?? 0) + v); this.#hidden++; return this; }}
}}
const acc{i} = new Acc{i}();
for (const line of rows{i}) {{
  const [id, kind, amount] = line.split(',');
  acc{i}.add(kind, Number(amount));
}}
const shown{i} = [...acc{i}.values()].map((v) => ({{ amount: v }}));
console.log(total{i}(shown{i}).label, /a+b/g.test(String(acc{i}.extra)));

"""


def program(lines: int = 2000) -> str:
    """A plain program of about ``lines`` lines: functions, classes, loops, templates, regexes."""
    per = CHUNK.count("\n")
    return "".join(CHUNK.format(i=i) for i in range(lines // per + 1))


def csv_rows(n: int = 10_000) -> str:
    kinds = ["view", "click", "buy", "refund", "share"]
    return "id,kind,amount\n" + "".join(f"{i},{kinds[i * 7 % 5]},{i % 97}\n" for i in range(n))


def _stats(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {"p50_ms": statistics.median(times), "p95_ms": times[max(int(len(times) * 0.95) - 1, 0)],
            "runs": len(times)}


def interleaved(fns: dict[str, Callable[[], Any]], *, runs: int, warmup: int,
                rounds: int = 10) -> dict[str, dict[str, float]]:
    """Time each system's ``fn`` in blocks, taking turns for ``rounds`` rounds.

    Turns spread load that comes and goes on the machine over every system
    alike; blocks (not single calls) keep each system's caches warm, as they
    are when one system serves a run of requests.
    """
    times: dict[str, list[float]] = {name: [] for name in fns}
    block = max(runs // rounds, 1)
    for _ in range(rounds):
        for name, fn in fns.items():
            for _ in range(warmup // rounds + 1):
                fn()
            for _ in range(block):
                start = time.perf_counter()
                fn()
                times[name].append((time.perf_counter() - start) * 1000)
    return {name: _stats(t) for name, t in times.items()}


def systems() -> dict[str, Callable[[str], Any]]:
    """Each system as `run(code) -> value` with a fresh sandbox per call."""
    empty = World()
    found: dict[str, Callable[[str], Any]] = {"worlds": lambda code: empty.run(code).value}
    try:
        import modebox  # type: ignore[import-not-found]
        found["modebox"] = lambda code: modebox.run_sync(code).value
    except ImportError:
        pass
    try:
        import quickjs_rs  # type: ignore[import-not-found]
        runtime = quickjs_rs.Runtime()

        def fresh(code: str) -> Any:
            ctx = runtime.new_context()
            try:
                return ctx.eval(code)
            finally:
                ctx.close()
        found["quickjs-rs"] = fresh
    except ImportError:
        pass
    for name, run in found.items():
        assert run("1+2") == 3 and run(FIB) == 75025, name
    return found


def compared(quick: bool) -> dict[str, dict[str, dict[str, float]]]:
    """trivial and fib25 on every system, interleaved: {workload: {system: figures}}."""
    runners = systems()
    return {
        "trivial": interleaved({n: (lambda r=r: r("1+2")) for n, r in runners.items()},
                               runs=200 if quick else 2000, warmup=100),
        "fib25": interleaved({n: (lambda r=r: r(FIB)) for n, r in runners.items()},
                             runs=5 if quick else 30, warmup=2),
    }


def checker(quick: bool) -> dict[str, float]:
    """The JS-light checker alone (parse, scopes, rules) on a 2,000-line program."""
    world = World(files={"events.csv": "id,kind,amount\n"})
    code = program(2000)
    assert not world.check(code), "the benchmark program must check clean"
    return interleaved({"worlds": lambda: world.check(code)}, runs=10 if quick else 50, warmup=3)["worlds"]


def ours_only(quick: bool) -> dict[str, dict[str, float]]:
    """Workloads without a peer: figures for worlds alone."""
    data = World(files={"events.csv": csv_rows()})
    assert data.run(CSV_PROGRAM).value == 5
    return {"csv10k": interleaved({"worlds": lambda: data.run(CSV_PROGRAM)},
                                  runs=10 if quick else 40, warmup=3)["worlds"],
            "check2k": checker(quick)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer runs, for a smoke check")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    side_by_side = compared(args.quick)
    side_by_side["sqlgroup10k"] = sql.compared(interleaved, args.quick)
    alone = ours_only(args.quick)
    sql_alone = sql.alone(interleaved, args.quick)
    memory = sql_alone.pop("sqlmemory")
    alone.update(sql_alone)
    print(f"{'workload':<10} {'system':<12} {'p50 ms':>9} {'p95 ms':>9}")
    for workload, by_system in side_by_side.items():
        for system, fig in by_system.items():
            print(f"{workload:<10} {system:<12} {fig['p50_ms']:>9.3f} {fig['p95_ms']:>9.3f}")
    for workload, fig in alone.items():
        print(f"{workload:<10} {'worlds':<12} {fig['p50_ms']:>9.3f} {fig['p95_ms']:>9.3f}")
    print(f"sqlmemory  worlds       {memory['mb']:>6.1f} MB guest memory, warm "
          f"({memory['tables_mb']:.2f} MB of tables)")
    ratios = {f"{workload} worlds/{system}": by_system["worlds"]["p50_ms"] / fig["p50_ms"]
              for workload, by_system in side_by_side.items()
              for system, fig in by_system.items() if system != "worlds"}
    if ratios:
        print("\nratios of p50 (below 1.0: worlds is faster)")
        for name, ratio in ratios.items():
            print(f"  {name:<28} {ratio:6.2f}")
    else:
        print("\nno peers installed (pip install -e '.[perf]'): no ratios")
    if args.json:
        results = {"machine": platform.platform(), "python": platform.python_version(),
                   "compared": side_by_side, "worlds_only": alone, "sql_memory": memory,
                   "ratios": ratios}
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
