"""JSONata in worlds against its peers, side by side: the same expression over the same rows.

    worlds-jsonata   World.run(expr, lang="jsonata"): the JSONata library in QuickJS (Wasm, fuel on)
    worlds-js        World.run(program): the same grouping written in JS-light
    node-jsonata     the same library file in Node (JIT), CSV parsed and typed in Node first

A group-by sum over a CSV of N rows (4 groups). Times are the median of a few runs (each run of
Node is one process; its time is measured inside it, without start-up). JSONata's grouping grows
faster than the rows in Node as well (10x the rows, about 37x the time), so 1M rows is not in the
default run. Usage: `python bench/perf/jsonata.py [--rows 10000,100000] [--json FILE]`.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from worlds import World
from worlds.sandbox.engines import artifacts

EXPRESSION = "$sales{region: $round($sum(amount), 2)}"
PROGRAM = ("const g = {}; for (const r of readCSV('sales.csv')) g[r.region] = (g[r.region] || 0) + r.amount;"
           " for (const k in g) g[k] = Math.round(g[k] * 100) / 100; g")
NODE = """
const fs = require("fs"); const jsonata = require(process.argv[2]);
const t = process.hrtime.bigint();
const lines = fs.readFileSync(process.argv[3], "utf8").trim().split("\\n").slice(1);
const sales = lines.map((l) => {
  const c = l.split(",");
  return { id: +c[0], region: c[1], amount: +c[2] };
});
jsonata(process.argv[4]).evaluate({ sales }, { sales }).then(() =>
  console.log(Number(process.hrtime.bigint() - t) / 1e6));
"""


def csv_text(rows: int) -> str:
    rng = random.Random(7)
    regions = ["north", "south", "east", "west"]
    return "id,region,amount\n" + "".join(f"{i},{rng.choice(regions)},{rng.randrange(1, 10_000) / 100}\n"
                                          for i in range(rows))


def measure(rows: int, repeat: int) -> dict[str, float | None]:
    text = csv_text(rows)
    world = World(files={"sales.csv": text}, limits={"fuel": 10**13, "wall_ms": 600_000})
    out: dict[str, float | None] = {}
    for name, run in (("worlds-jsonata", lambda: world.run(EXPRESSION, lang="jsonata")),
                      ("worlds-js", lambda: world.run(PROGRAM))):
        times, fuel = [], 0
        for _ in range(repeat):
            started = time.perf_counter()
            result = run()
            times.append((time.perf_counter() - started) * 1000)
            assert result.ok, str(result)
            fuel = result.stats.fuel
        out[f"{name} ms"], out[f"{name} fuel"] = round(statistics.median(times), 1), fuel
    node = shutil.which("node")
    out["node-jsonata ms"] = None
    if node:
        with tempfile.TemporaryDirectory() as tmp:
            data, script = Path(tmp, "sales.csv"), Path(tmp, "bench.js")
            data.write_text(text)
            script.write_text(NODE)
            library = str(artifacts()["jsonata"].path())
            times = [float(subprocess.run([node, str(script), library, str(data), EXPRESSION], check=True,
                                          capture_output=True, text=True).stdout) for _ in range(repeat)]
            out["node-jsonata ms"] = round(statistics.median(times), 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each system (one from 100,000 rows)")
    parser.add_argument("--json", help="write the figures here too")
    args = parser.parse_args()
    report = {}
    for rows in (int(n) for n in args.rows.split(",")):
        found = measure(rows, args.repeat if rows < 100_000 else 1)
        ours, js, peer = found["worlds-jsonata ms"], found["worlds-js ms"], found["node-jsonata ms"]
        assert ours is not None and js is not None
        found["jsonata / js"] = round(ours / js, 1)
        found["jsonata / node"] = round(ours / peer, 1) if peer else None
        report[rows] = found
        print(f"{rows:>9,} rows  " + "  ".join(f"{k} {v}" for k, v in found.items()), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
