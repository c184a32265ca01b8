"""Performance of worlds against its peers, measured side by side in one run.

Named workloads, best-effort fairness (warm-up first, same machine, same
process), JSON output, and ratios against peers measured in the same run:

    trivial    a fresh sandbox evaluating `1+2`           (p50, p95)
    fib25      recursive fib(25), fuel metering on        (p50)
    csv10k     read a 10,000-row CSV and aggregate it     (p50)

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


def csv_rows(n: int = 10_000) -> str:
    kinds = ["view", "click", "buy", "refund", "share"]
    return "id,kind,amount\n" + "".join(f"{i},{kinds[i * 7 % 5]},{i % 97}\n" for i in range(n))


def measure(fn: Callable[[], Any], *, runs: int, warmup: int) -> dict[str, float]:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"p50_ms": statistics.median(times), "p95_ms": times[int(len(times) * 0.95) - 1],
            "runs": runs}


def ours(quick: bool) -> dict[str, dict[str, float]]:
    empty = World()
    data = World(files={"events.csv": csv_rows()})
    assert empty.run("1+2").value == 3
    assert empty.run(FIB).value == 75025
    assert data.run(CSV_PROGRAM).value == 5
    n = 100 if quick else 1000
    return {
        "trivial": measure(lambda: empty.run("1+2"), runs=n, warmup=50),
        "fib25": measure(lambda: empty.run(FIB), runs=5 if quick else 20, warmup=2),
        "csv10k": measure(lambda: data.run(CSV_PROGRAM), runs=10 if quick else 40, warmup=3),
    }


def modebox_peer(quick: bool) -> dict[str, dict[str, float]] | None:
    try:
        import modebox  # type: ignore[import-not-found]
    except ImportError:
        return None
    assert modebox.run_sync("1+2").value == 3
    return {
        "trivial": measure(lambda: modebox.run_sync("1+2"), runs=100 if quick else 1000, warmup=50),
        "fib25": measure(lambda: modebox.run_sync(FIB), runs=5 if quick else 20, warmup=2),
    }


def quickjs_rs_peer(quick: bool) -> dict[str, dict[str, float]] | None:
    try:
        import quickjs_rs  # type: ignore[import-not-found]
    except ImportError:
        return None
    runtime = quickjs_rs.Runtime()

    def fresh(code: str) -> Any:
        ctx = runtime.new_context()
        try:
            return ctx.eval(code)
        finally:
            ctx.close()

    assert fresh("1+2") == 3
    return {
        "trivial": measure(lambda: fresh("1+2"), runs=100 if quick else 1000, warmup=50),
        "fib25": measure(lambda: fresh(FIB), runs=5 if quick else 20, warmup=2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer runs, for a smoke check")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    results: dict[str, Any] = {"machine": platform.platform(), "python": platform.python_version(),
                               "worlds": ours(args.quick)}
    for name, peer in (("modebox", modebox_peer), ("quickjs-rs", quickjs_rs_peer)):
        figures = peer(args.quick)
        if figures is not None:
            results[name] = figures
    w = results["worlds"]
    print(f"{'workload':<10} {'system':<12} {'p50 ms':>9} {'p95 ms':>9}")
    for system in ("worlds", "modebox", "quickjs-rs"):
        for workload, fig in results.get(system, {}).items():
            print(f"{workload:<10} {system:<12} {fig['p50_ms']:>9.3f} {fig['p95_ms']:>9.3f}")
    ratios = {}
    for system in ("modebox", "quickjs-rs"):
        for workload, fig in results.get(system, {}).items():
            ratios[f"{workload} worlds/{system}"] = w[workload]["p50_ms"] / fig["p50_ms"]
    if ratios:
        print("\nratios of p50 (below 1.0: worlds is faster)")
        for name, ratio in ratios.items():
            print(f"  {name:<28} {ratio:6.2f}")
    else:
        print("\nno peers installed (pip install -e '.[perf]'): no ratios")
    results["ratios"] = ratios
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
