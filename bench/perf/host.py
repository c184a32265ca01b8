"""Host functions in worlds against modebox's, side by side: a call's round trip, suspend + resume.

    worlds    World(functions={"api.echo": echo}).run(code): QuickJS in Wasm, the call through our
              WASI device, validated with pydantic, recorded on the tape, on the run's worker thread
    modebox   modebox.run_sync(code, host_functions={"api": {"echo": echo}}) (the `perf` extra)

A call's round trip is (a run making N calls - the same run with a local function) / N, median of a
few runs. Suspend + resume: a run that stops at a call needing approval, then is resumed with the
value; the state's size is what a host keeps between the two (worlds: RunResult.suspended_state;
modebox: the continuation). Usage: `python bench/perf/host.py [--calls 500] [--json FILE]`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from worlds import World, suspend

LOOP = "let s = 0; for (let i = 0; i < {n}; i++) s += {call}(i); s"
#: A typical program that stops for approval: a lookup, a decision, the call that needs a person.
APPROVAL = ("const c = {wait}api.lookup(7);\n"
            "const due = c.orders.filter((o) => o.late).reduce((a, o) => a + o.total, 0);\n"
            "const r = {wait}api.refund(c.id, due);\nconsole.log(c.name, due, r.ok);")


def echo(x: int) -> int:
    return x


def lookup(id: int) -> dict[str, Any]:
    return {"id": id, "name": "Ada", "orders": [{"total": 10.0 * i, "late": i % 3 == 0} for i in range(20)]}


def refund(id: int, amount: float) -> Any:
    return suspend("refunds need approval")


def median_ms(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def worlds_figures(calls: int, repeat: int) -> dict[str, float]:
    world = World(files={"a.txt": "x"}, limits={"host_calls": calls + 10},
                  functions={"api.echo": echo, "api.lookup": lookup, "api.refund": refund})
    local = World(files={"a.txt": "x"})
    with_calls = median_ms(lambda: world.run(LOOP.format(n=calls, call="api.echo")), repeat)
    without = median_ms(lambda: local.run(LOOP.format(n=calls, call="((x) => x)")), repeat)
    code = APPROVAL.format(wait="")
    first = world.run(code)
    assert first.status == "suspended", first
    suspend_ms = median_ms(lambda: world.run(code), repeat)
    resume_ms = median_ms(lambda: world.run(code).resume({"c2": {"ok": True}}), repeat) - suspend_ms
    return {"call_us": (with_calls - without) * 1000 / calls, "suspend_ms": suspend_ms,
            "resume_ms": resume_ms, "state_bytes": len(first.suspended_state)}


def modebox_figures(calls: int, repeat: int) -> dict[str, float] | None:
    try:
        import modebox  # type: ignore[import-not-found]
    except ImportError:
        return None
    fns = {"api": {"echo": echo, "lookup": lookup, "refund": lambda id, amount: {"ok": True}}}
    with_calls = median_ms(lambda: modebox.run_sync(LOOP.format(n=calls, call="await api.echo"),
                                                    host_functions=fns), repeat)
    without = median_ms(lambda: modebox.run_sync(LOOP.format(n=calls, call="((x) => x)"),
                                                 host_functions=fns), repeat)
    code = APPROVAL.format(wait="await ")
    first = modebox.run_sync(code, host_functions=fns, approve=["api.refund"])
    assert first.status == "interrupted", first
    ids = [i.id for i in first.interruptions]

    def both() -> None:
        stopped = modebox.run_sync(code, host_functions=fns, approve=["api.refund"])
        modebox.run_sync(continuation=stopped.continuation, host_functions=fns, approve=["api.refund"],
                         resolutions=[modebox.approve(i) for i in ids])

    suspend_ms = median_ms(lambda: modebox.run_sync(code, host_functions=fns, approve=["api.refund"]),
                           repeat)
    return {"call_us": (with_calls - without) * 1000 / calls, "suspend_ms": suspend_ms,
            "resume_ms": median_ms(both, repeat) - suspend_ms, "state_bytes": len(first.continuation or "")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args()
    figures = {"worlds": worlds_figures(args.calls, args.repeat),
               "modebox": modebox_figures(args.calls, args.repeat)}
    print(f"host functions: {args.calls} calls a run, median of {args.repeat}")
    print(f"{'':10} {'call round trip':>16} {'suspend':>10} {'resume':>10} {'state':>10}")
    for name, f in figures.items():
        if f is None:
            print(f"{name:10} not installed (pip install -e '.[perf]')")
            continue
        print(f"{name:10} {f['call_us']:>13.1f} us {f['suspend_ms']:>7.1f} ms {f['resume_ms']:>7.1f} ms "
              f"{f['state_bytes']:>7,.0f} B")
    if figures["modebox"]:
        ours, theirs = figures["worlds"], figures["modebox"]
        both = (ours["suspend_ms"] + ours["resume_ms"]) / (theirs["suspend_ms"] + theirs["resume_ms"])
        print(f"ratio worlds/modebox: call {ours['call_us'] / theirs['call_us']:.2f}x, "
              f"suspend+resume {both:.2f}x")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(figures, out, indent=2)


if __name__ == "__main__":
    main()
