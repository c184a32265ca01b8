"""Episodes per second: the bench's local executor against Ray, one plan, in the same run.

    local loop    every case played in this process, one after another (play + keep)
    xdist -n N    `pytest bench/ -n N` as a user runs it (pytest's start and collection included)
    ray N         `RayExecutor` with N workers on a local cluster started once for the run (its start
                  is reported apart; the workers' start, world loading and every result's trip back
                  to the driver are included)

Each configuration writes its own --out folder and its traces are compared with the local loop's
byte for byte (`same bytes`). The overhead of Ray per episode is (ray 1 - local loop) / episodes.
The loop runs first, so the SQL table caches on disk are warm for every configuration after it.

Usage: python bench/perf/ray_episodes.py [--task sales,org] [--agent reference,fixit]
       [--only loop,xdist,ray] [--workers 1,2,all] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.harness.plan import Case, plan  # noqa: E402
from bench.harness.play import keep, play  # noqa: E402


def _options(task: str, agent: str) -> Any:
    given = {"--agent": agent, "--arm": "", "--diagnostics": "", "--tools": "all", "--turns": 12,
             "--mode": "loop", "--repeat": 1, "--seed": 0, "--task": task, "--base-url": None,
             "--price": None, "--judge": None}
    return given.__getitem__


def _traces(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (out / "traces").iterdir()}


def loop(cases: list[Case], out: Path) -> float:
    started = time.perf_counter()
    for case in cases:
        keep(out, case, play(case, out))
    return time.perf_counter() - started


def xdist(task: str, agent: str, workers: int, out: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", "bench/", "--task", task, "--agent", agent,
                           "-n", str(workers), "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "BENCH_PROGRESS": "0"})
    if done.returncode != 0:
        raise SystemExit(f"pytest -n {workers} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return time.perf_counter() - started


def on_ray(cases: list[Case], workers: int, out: Path) -> float:
    from bench.harness.executor_ray import RayExecutor
    started = time.perf_counter()
    executor = RayExecutor(out, workers=workers)
    executor.start()
    executor.submit(cases)
    try:
        for case in cases:
            executor.result(case.id)
    finally:
        executor.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", default="sales,org,logs",
                        help="tasks whose name contains one of these (default: sales,org,logs, "
                             "389 episodes; '' for every task)")
    parser.add_argument("--agent", default="reference,fixit")
    parser.add_argument("--only", default="loop,xdist,ray")
    parser.add_argument("--workers", default="1,2,all", help="Ray workers and xdist -n (all: every core)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "perf" / "results"))
    args = parser.parse_args()
    only = set(args.only.split(","))
    cores = os.cpu_count() or 1
    counts = sorted({cores if w == "all" else int(w) for w in args.workers.split(",")})
    cases = plan(_options(args.task, args.agent))
    scratch = Path(tempfile.mkdtemp(prefix="ray-episodes-"))
    results: list[dict[str, Any]] = []
    reference: dict[str, bytes] | None = None

    def record(name: str, seconds: float, out: Path) -> None:
        nonlocal reference
        traces = _traces(out)
        reference = reference or traces
        results.append({"executor": name, "episodes": len(traces), "seconds": round(seconds, 2),
                        "episodes_per_s": round(len(traces) / seconds, 1), "same_bytes": traces == reference})
        print(f"{name:<12} {len(traces):>6} episodes {seconds:8.2f} s {len(traces) / seconds:8.1f}/s "
              f"same bytes: {traces == reference}", flush=True)

    print(f"{len(cases)} episodes ({args.task or 'every task'}; {args.agent}), {cores} cores", flush=True)
    if "loop" in only:
        record("local loop", loop(cases, scratch / "loop"), scratch / "loop")
    if "xdist" in only:
        for n in counts:
            where = scratch / f"xdist{n}"
            record(f"xdist -n {n}", xdist(args.task, args.agent, n, where), where)
    cluster_s = None
    if "ray" in only:
        import worlds.ray
        started = time.perf_counter()
        worlds.ray.connect(runtime_env={"env_vars": {"PYTHONPATH": str(ROOT)}})
        cluster_s = round(time.perf_counter() - started, 2)
        print(f"ray cluster start {cluster_s:.2f} s", flush=True)
        try:
            for n in counts:
                record(f"ray {n}", on_ray(cases, n, scratch / f"ray{n}"), scratch / f"ray{n}")
        finally:
            worlds.ray.shutdown()
    by = {r["executor"]: r for r in results}
    overhead = None
    if "local loop" in by and "ray 1" in by:
        overhead = round(1000 * (by["ray 1"]["seconds"] - by["local loop"]["seconds"]) / len(cases), 2)
        print(f"Ray overhead per episode (ray 1 - local loop): {overhead} ms", flush=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "ray_episodes.json").write_text(json.dumps(
        {"episodes": len(cases), "task": args.task, "agent": args.agent, "cores": cores,
         "ray_cluster_start_s": cluster_s, "ray_overhead_ms_per_episode": overhead, "results": results},
        indent=2) + "\n")


if __name__ == "__main__":
    main()
