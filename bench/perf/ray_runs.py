"""Runs per second through worlds.ray against the local loop, measured side by side in one run.

    local       World.run(code).to_json() in a loop, in this process
    ray N       Pool(size=N).map(...) for N = 1, 2 and every CPU, one run a call (chunk 1), and
                every CPU with chunks of 16 runs a call

Each row runs the same programs (a short JS program and a SQL query over a small CSV world, in
turn, each a little different) after a warm-up, and checks the results are the bytes of the
local ones. The overhead of going through Ray is (ms a run, 1 worker - ms a run, local). With
``--big ROWS`` it also runs a few programs over a world of one CSV with ROWS rows, locally and
through a pool, and reports both times (the first run through the pool includes building the
world and loading its tables in each actor). The cluster is a local one unless
``--ray-address`` names one. Usage:
``python bench/perf/ray_runs.py [--runs 2000] [--big 1000000] [--json FILE]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from typing import Any

import worlds.ray
from worlds import World

SALES = "region,amount\n" + "".join(f"{r},{a}\n" for r, a in
                                    zip(["north", "south", "east", "west"] * 25, range(100), strict=True))


def programs(n: int) -> list[tuple[str, str]]:
    return [(f"readCSV('sales.csv').filter((r) => r.amount > {i % 50}).length", "js") if i % 2 == 0
            else (f"SELECT region, sum(amount) + {i} AS t FROM sales GROUP BY region ORDER BY t", "sql")
            for i in range(n)]


def local_rate(world: World, work: list[tuple[str, str]]) -> tuple[float, list[str]]:
    started = time.perf_counter()
    out = [json.dumps(world.run(code, lang).to_json(), sort_keys=True) for code, lang in work]
    return time.perf_counter() - started, out


def pool_rate(size: int, world: World, work: list[tuple[str, str]], chunk: int,
              expected: list[str]) -> float:
    with worlds.ray.Pool(size=size) as pool:
        key = pool.add(world)
        list(pool.map([(key, code, lang) for code, lang in work[:8 * size]]))  # warm: tables loaded
        started = time.perf_counter()
        got = [json.dumps(r, sort_keys=True) for r in pool.map(((key, c, lang) for c, lang in work),
                                                                chunk=chunk)]
        took = time.perf_counter() - started
    assert got == expected, "results through Ray differ from local ones"
    return took


def big_world(rows: int) -> World:
    rng = random.Random(7)
    lines = ["id,meter,day,kwh"] + [f"{i},{rng.randrange(5000)},2024-{1 + i % 12:02d}-{1 + i % 28:02d},"
                                    f"{rng.randrange(100000) / 100}" for i in range(rows)]
    return World(files={"readings.csv": "\n".join(lines) + "\n"}, name="meters")


BIG = [("SELECT meter, round(sum(kwh), 2) AS kwh FROM readings GROUP BY meter ORDER BY kwh DESC LIMIT 5",
        "sql"),
       ("from readings | group day (aggregate {n = count this, kwh = sum kwh}) | sort {-kwh} | take 3",
        "prql"),
       ("const rows = readCSV('readings.csv'); let t = 0; for (const r of rows) t += r.kwh; "
        "Math.round(t)", "js")]


def big_figures(rows: int, size: int) -> dict[str, Any]:
    world = big_world(rows)
    figures: dict[str, Any] = {"rows": rows, "mb": round(world.input_bytes / 2**20, 1), "programs": []}
    with worlds.ray.Pool(size=size) as pool:
        started = time.perf_counter()
        key = pool.add(world)
        figures["add_s"] = round(time.perf_counter() - started, 2)
        for code, lang in BIG:
            started = time.perf_counter()
            local = world.run(code, lang).to_json()
            local_s = time.perf_counter() - started
            times = []
            for _ in range(2):  # the first builds the world (and loads its tables) in the actor
                started = time.perf_counter()
                remote = pool.get(pool.run(key, code, lang))
                times.append(time.perf_counter() - started)
            same = json.dumps(remote, sort_keys=True) == json.dumps(local, sort_keys=True)
            figures["programs"].append({"lang": lang, "local_s": round(local_s, 2),
                                        "ray_first_s": round(times[0], 2), "ray_s": round(times[1], 2),
                                        "same_bytes": same, "ok": local["ok"]})
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--big", type=int, default=0, help="also run over a world of this many CSV rows")
    parser.add_argument("--ray-address", default=None, help="join this cluster instead of a local one")
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args()
    cluster = worlds.ray.connect(args.ray_address)
    world = World(files={"sales.csv": SALES})
    work = programs(args.runs)
    local_rate(world, work[:50])  # warm: engines loaded, tables read
    local_s, expected = local_rate(world, work)
    every = max(1, cluster.cpus)
    rows: dict[str, float] = {"local": local_s}
    for size in sorted({1, 2, every}):
        rows[f"ray, {size} worker{'s' if size > 1 else ''}"] = pool_rate(size, world, work, 1, expected)
    rows[f"ray, {every} workers, chunk 16"] = pool_rate(every, world, work, 16, expected)
    figures: dict[str, Any] = {
        "runs": args.runs, "cpus": cluster.cpus, "nodes": len(cluster.nodes), "machine_cpus": os.cpu_count(),
        "rows": {name: {"runs_per_s": round(args.runs / s, 1), "ms_per_run": round(s * 1000 / args.runs, 3)}
                 for name, s in rows.items()},
        "ray_overhead_ms": round((rows["ray, 1 worker"] - local_s) * 1000 / args.runs, 3)}
    print(f"worlds.ray: {args.runs} runs (JS and SQL in turn, same bytes as local), "
          f"{cluster.cpus} CPUs on {len(cluster.nodes)} node(s)")
    print(f"{'':28} {'runs/s':>9} {'ms/run':>8} {'vs local':>9}")
    for name, row in figures["rows"].items():
        print(f"{name:28} {row['runs_per_s']:>9,.0f} {row['ms_per_run']:>8.2f} "
              f"{row['runs_per_s'] / figures['rows']['local']['runs_per_s']:>8.2f}x")
    print(f"overhead of a run through Ray (1 worker, one run a call): {figures['ray_overhead_ms']:.2f} ms")
    if args.big:
        big = figures["big"] = big_figures(args.big, every)
        print(f"\n{big['rows']:,} rows ({big['mb']} MB): pool.add {big['add_s']} s")
        print(f"{'':6} {'local':>8} {'ray first':>10} {'ray':>8}  same bytes")
        for p in big["programs"]:
            print(f"{p['lang']:6} {p['local_s']:>7.2f}s {p['ray_first_s']:>9.2f}s {p['ray_s']:>7.2f}s  "
                  f"{p['same_bytes']}")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(figures, out, indent=2)


if __name__ == "__main__":
    main()
