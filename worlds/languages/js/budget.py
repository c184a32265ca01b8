"""Why a JS run ran out of budget: where it was, how far it had got, what would let it finish.

The sandbox stops a program softly (see ``sandbox.watch``): QuickJS unwinds
it with an error whose stack says where it was, and the host counted what it
read of every file. From that this module tells a runaway from a big job:

- where: the innermost frame in the program's own files, and the runtime
  helper it was inside (``readCSV`` called from ``main.js:3:14``); within
  that function, the loop that was running (:mod:`.loops`);
- how far: the bytes, and rows, of each file it had read;
- a runaway: a loop that nothing can end, found in the source, or a program
  that does not finish even on a small part of its input;
- a big job: reading the whole input first is what programs do, so progress
  through it is measured, not read off the reads: the program runs again on
  the first 1/64, 1/32, ... of the rows of the files it read. If those runs
  finish, it was making progress, and how their fuel grows with the rows
  estimates what the whole input needs: the ``limits={"fuel": N}`` to suggest.

Every run involved is deterministic, so the same program in the same world
gets the same diagnostic.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from ...diagnostics import Diagnostic, Label, Span, codes
from ...sandbox.guest import STOP_FUEL, GuestRun
from . import loops
from .stack import Frame, token_span

#: Runs the program again on other inputs and workspace files under another fuel
#: budget: whether it finished, the fuel it used, and why it failed if it did.
Rerun = Callable[[dict[str, bytes], dict[str, bytes], int], tuple[bool, int, str]]

#: The probes run the program on 1/64, 1/32, ... 1/4 of the rows of what it read.
SHARES = (64, 32, 16, 8, 4)
#: Files this small (in rows) are too small to measure growth on.
MIN_ROWS = 16
#: A suggested budget is the estimate times this, rounded up to two digits.
MARGIN = 1.5
#: The probes together may use this many budgets (each at most one), and each at most
#: PROBE_FUEL (about a second): on a big world's scaled budget, a runaway answers fast.
PROBE_BUDGETS = 2
PROBE_FUEL = 10_000_000_000
_ROWS = (".csv", ".tsv", ".jsonl", ".ndjson", ".txt", ".log", ".json")
_CODE = (".js", ".mjs", ".cjs")


def reported_stack(run: GuestRun) -> str:
    """The stack of the error QuickJS unwound a softly stopped program with ("" if none)."""
    watch = run.state.watch
    report = bytes(watch.report).decode(errors="replace") if watch is not None else ""
    head, _, stack = report.partition("\n")
    return stack if head.endswith("interrupted") else ""


@dataclass
class Measured:
    """What the probes found: (rows kept, fuel) of each finished run, and how the next ended."""

    rows: int  # in the largest file
    files: list[str]
    points: list[tuple[int, int]] = field(default_factory=list)
    failed: str = ""  # "budget" when a probe ran out too, else the probe's error
    partial: bool = False  # the probes had less fuel than the run itself

    def estimate(self) -> tuple[float, float] | None:
        """(fuel for all rows, growth exponent), from the last three finished probes.

        Two fits, and the larger is kept: fuel = a + c·share^k (one power of
        the rows) and fuel = a + b·share + c·share² (a pass over the rows plus
        a loop over them inside another), so mixed work is not underestimated.
        """
        pts = [(kept / self.rows, float(fuel)) for kept, fuel in self.points[-3:]]
        if len(pts) == 1:  # one measurement: as if all the work grew with the rows
            return pts[0][1] / pts[0][0], 1.0
        if any(f2 <= f1 for (_, f1), (_, f2) in zip(pts, pts[1:], strict=False)):
            return None
        if len(pts) == 2:
            (s1, f1), (s2, f2) = pts
            k = min(4.0, max(1.0, math.log(f2 / f1) / math.log(s2 / s1)))
            return f2 * (1 / s2) ** k, k
        (s1, f1), (s2, f2), (s3, f3) = pts
        k = _exponent(s1, s2, s3, f1, f2, f3)
        power = f3 + (f3 - f2) / (s3**k - s2**k) * (1 - s3**k)
        return max(power, _quadratic(pts)), k


def _exponent(s1: float, s2: float, s3: float, f1: float, f2: float, f3: float) -> float:
    """The k for which fuel = a + c·share^k passes through three points (between 0.5 and 4)."""
    ratio = (f3 - f2) / (f2 - f1)
    lo, hi = 0.5, 4.0
    for _ in range(40):
        k = (lo + hi) / 2
        if (s3**k - s2**k) / (s2**k - s1**k) < ratio:
            lo = k
        else:
            hi = k
    return (lo + hi) / 2


def _quadratic(pts: list[tuple[float, float]]) -> float:
    """The value at share 1 of the parabola through three points (its square term at least 0)."""
    (x1, y1), (x2, y2), (x3, y3) = pts
    d1, d2 = (y2 - y1) / (x2 - x1), (y3 - y2) / (x3 - x2)
    c = max(0.0, (d2 - d1) / (x3 - x1))
    b = d2 - c * (x2 + x3)
    return y3 + b * (1 - x3) + c * (1 - x3 * x3)


def out_of_budget(run: GuestRun, frames: list[Frame], helper: str, sources: dict[str, str],
                  inputs: dict[str, bytes], workspace: dict[str, bytes], rerun: Rerun | None, *,
                  innermost: bool) -> Diagnostic:
    """The diagnostic for a program stopped by ``limits.fuel`` or ``limits.wall_ms``.

    ``frames`` are the stack's frames in the program's files; ``innermost``
    says the first of them was the innermost of all (not a call into the
    runtime), so its position is only where QuickJS last recorded one.
    """
    limits, fuel_stop = run.limits, run.stop == STOP_FUEL
    files = {**inputs, **workspace}
    place = _Place(frames, helper, sources, innermost, "when the budget ran out" if fuel_stop
                   else "when the deadline passed")
    notes = place.notes if frames else [_engine_place(run)]
    read = _data_reads(run, files, sources)
    if read:
        notes.append("it had read " + "; ".join(_describe_read(path, files[path], furthest, passes)
                                               for path, furthest, passes in read))
    elif fuel_stop:
        notes.append("it had read no input files")
    loop = place.loop
    measured = None
    if fuel_stop and rerun is not None and read and not (loop and loop.runaway):
        measured = _measure(read, inputs, workspace, limits.fuel, rerun)
    help_: list[str] = []
    message = (f"the program used its whole budget of {limits.fuel:,} fuel" if fuel_stop
               else f"the program ran past the {limits.wall_ms:,} ms deadline")
    if loop is not None and loop.runaway:
        message += " in a loop that never ends: a runaway"
        notes.insert(0, f"`{loop.head}` at {loop.start[0]}:{loop.start[1]}: {loop.runaway}")
        help_.append("make the loop's condition become false, or `break` out of it when its work is done")
    elif measured is not None:
        located = run.state.watch is not None and run.state.watch.stop is not None
        message, progress_notes, progress_help = _conclude(message, measured, limits.fuel, located)
        notes += progress_notes
        help_ += progress_help
    elif fuel_stop:
        help_.append("if the work is meant to be this big, raise `limits.fuel`; "
                     "if not, look for a loop that does not end")
    else:
        help_.append("bound the work; the deadline is `limits.wall_ms`")
    help_ += [f"it read `{path}` {passes} times: read it once, before the loop"
              for path, _, passes in read if passes > 2]
    return Diagnostic(code=codes.FUEL if fuel_stop else codes.DEADLINE, message=message, file=place.file,
                      span=place.span, label=place.label, labels=place.labels, notes=notes, help=help_)


class _Place:
    """Where the stopped program was: its file, span and labels, the loop that was running."""

    def __init__(self, frames: list[Frame], helper: str, sources: dict[str, str], innermost: bool,
                 when: str) -> None:
        self.file: str | None = None
        self.span: Span | None = None
        self.label = ""
        self.labels: list[Label] = []
        self.loop: loops.Loop | None = None
        self.notes: list[str] = []
        if not frames:
            return
        _, self.file, line, col = frames[0]
        source = sources.get(self.file, "")
        loop = self.loop = loops.running_loop(source, line, col, after=innermost)
        self.span = token_span(source, line, col)
        if loop is not None and not loop.around:
            # A stale position (before the loop, or after it at the jump that closes it):
            # the loop that ran is this one.
            self.span = Span.at(*loop.start, *loop.end)
        elif loop is not None and loop.start != (self.span.start.line, self.span.start.column):
            self.labels.append(Label(span=Span.at(*loop.start, *loop.end),
                                     text="this loop never ends" if loop.runaway else "in this loop"))
        self.label = f"in `{helper}`, called here, {when}" if helper else f"here {when}"
        if len(frames) > 1:
            self.notes.append("stack, innermost first:\n" + "\n".join(
                f"{f}:{ln}:{c}" + (f" in {fn}" if fn and not fn.startswith("<") else "")
                for fn, f, ln, c in frames[:8]))


def _conclude(message: str, measured: Measured, budget: int,
              located: bool) -> tuple[str, list[str], list[str]]:
    """The message, notes and help once the program was run on parts of its input.

    ``located``: the budget stopped the program at a poll, so it had got past
    starting up; a budget smaller than that says nothing about runaways.
    """
    names = " and ".join(f"`{p}`" for p in measured.files)
    of_rows = f"of the {measured.rows:,} rows of {names}"
    if not measured.points:
        first = max(1, math.ceil(measured.rows / SHARES[0]))
        if measured.failed == "budget" and measured.partial:
            return message, [f"even the first {first:,} {of_rows} need more than {PROBE_FUEL:,} fuel, "
                             "so whether it would ever finish is not known"], \
                ["look for a loop that never ends; if the work is meant to be this big, raise `limits.fuel`"]
        if measured.failed == "budget" and not located:
            return message, [f"even the first {first:,} {of_rows} need more than this budget, which ran out "
                             "before QuickJS first checked it (it checks every 10,000 jumps or calls)"], \
                ["raise `limits.fuel`: this budget is too small for the program to get going"]
        if measured.failed == "budget":
            return (message + " in a loop that never ends: a runaway",
                    [f"run again on only the first {first:,} {of_rows}, it did not finish either, "
                     "so it is not the size of the input: something keeps it from ever ending"],
                    ["look for a loop whose condition never becomes false, or that never moves on to "
                     "the next item"])
        return message, [f"run again on the first rows {of_rows} to measure its progress, it failed: "
                         f"{measured.failed}"], ["if the work is meant to be this big, raise `limits.fuel`"]
    kept = _and([f"{k:,}" for k, _ in measured.points])
    used = _and([f"{f:,}" for _, f in measured.points])
    runs = f"run again on the first {kept} {of_rows}, it finished, using {used} fuel"
    estimate = measured.estimate()
    if estimate is None or estimate[0] <= budget:
        return (message + ", though it finishes on part of its input",
                [f"{runs}: its work does not grow with the rows, so a later row is what keeps it running"],
                ["look for a loop that does not end on some row of the input"])
    needed, k = estimate
    suggested = _round_up(max(needed, budget) * MARGIN)
    if len(measured.points) == 1:
        notes = [f"{runs}: if its work grows in proportion to the rows, all of them need about "
                 f"{_round_up(needed):,} fuel"]
    else:
        growth = ("in proportion to the rows" if k < 1.3 else
                  "about as the square of the rows" if k < 2.5 else "faster than the square of the rows")
        done = min(99, int(100 * budget / needed))
        notes = [f"{runs}: its work grows {growth}, so all the rows need about {_round_up(needed):,} fuel; "
                 f"it had done about {done}% of it"]
    help_ = [f"to let it finish as written (an estimate): `limits={{\"fuel\": {suggested:_}}}` "
             f"(the run tool's `budget`)"]
    if k >= 1.3:
        help_.insert(0, "work that grows as the square of the rows is a loop over the rows inside another: "
                        "index the rows once (`new Map(rows.map((r) => [r.id, r]))`) and look them up")
    return message + " but was still making progress: a big job, not a runaway", notes, help_


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _round_up(n: float) -> int:
    """``n`` rounded up to two significant digits, so a suggestion reads as an estimate."""
    value = int(math.ceil(n))
    if value <= 0:
        return 0
    scale = 10 ** max(0, len(str(value)) - 2)
    return int(-(-value // scale) * scale)


def _data_reads(run: GuestRun, files: dict[str, bytes],
                sources: dict[str, str]) -> list[tuple[str, int, int]]:
    """(path, furthest byte read, times read to the end) of each data file the program read."""
    out = []
    for path, stat in sorted(run.state.reads.items()):
        if path in files and path not in sources and not path.endswith(_CODE) and stat.bytes:
            out.append((path, stat.furthest, stat.passes))
    return out


def _describe_read(path: str, data: bytes, furthest: int, passes: int) -> str:
    rows = _rows(path, data)
    times = f", {passes} times" if passes > 1 else ""
    if furthest >= len(data):
        counted = f", {rows:,} rows" if rows is not None else ""
        return f"all of `{path}` ({len(data):,} bytes{counted}{times})"
    lines = data[:furthest].count(b"\n")
    return (f"{furthest:,} of the {len(data):,} bytes of `{path}` ({lines:,} lines{times}): "
            "it was still reading it")


def _rows(path: str, data: bytes) -> int | None:
    """Rows of a data file: CSV lines after the header, JSON Lines, array items, text lines."""
    lower = path.lower()
    if not lower.endswith(_ROWS):
        return None
    if lower.endswith(".json"):
        try:
            value = json.loads(data)
        except (ValueError, RecursionError):
            return None
        return len(value) if isinstance(value, list) else None
    lines = [line for line in data.split(b"\n") if line.strip()]
    return max(0, len(lines) - 1) if lower.endswith((".csv", ".tsv")) else len(lines)


def _measure(read: list[tuple[str, int, int]], inputs: dict[str, bytes], workspace: dict[str, bytes],
             budget: int, rerun: Rerun) -> Measured | None:
    """Run the program on growing parts of the rows it read, within about two more budgets."""
    rows = {path: n for path, _, _ in read
            if (n := _rows(path, inputs.get(path, workspace.get(path, b"")))) is not None}
    if not rows or max(rows.values()) < MIN_ROWS:
        return None
    largest = max(rows.values())
    measured = Measured(rows=largest, files=sorted(rows, key=lambda p: (-rows[p], p)))
    spent, kept_before = 0, 0
    each = min(budget, PROBE_FUEL)
    measured.partial = each < budget
    for share in SHARES:
        kept = math.ceil(largest / share)
        if kept <= kept_before:
            continue
        allowance = min(each, each * PROBE_BUDGETS - spent)
        if measured.points and _next_fuel(measured, kept) > allowance:
            break
        cut_inputs = {p: _cut(p, d, rows[p], share) if p in rows else d for p, d in inputs.items()}
        cut_workspace = {p: _cut(p, d, rows[p], share) if p in rows else d for p, d in workspace.items()}
        finished, fuel, failure = rerun(cut_inputs, cut_workspace, max(allowance, 1))
        spent += fuel
        if not finished:
            measured.failed = failure
            break
        measured.points.append((kept, fuel))
        kept_before = kept
    return measured


def _next_fuel(measured: Measured, kept: int) -> float:
    """The fuel the next probe should need, growing as the last two did (at least linearly)."""
    last_kept, last_fuel = measured.points[-1]
    k = 1.0
    if len(measured.points) >= 2:
        (k1, f1), (k2, f2) = measured.points[-2:]
        if f2 > f1 > 0 and k2 > k1:
            k = max(1.0, math.log(f2 / f1) / math.log(k2 / k1))
    return float(last_fuel * (kept / last_kept) ** k)


def _cut(path: str, data: bytes, rows: int, share: int) -> bytes:
    """``data`` with only the first ``1/share`` of its rows (a CSV keeps its header)."""
    keep = math.ceil(rows / share)
    if path.lower().endswith(".json"):
        return json.dumps(json.loads(data)[:keep]).encode()
    lines = data.split(b"\n")
    head = 1 if path.lower().endswith((".csv", ".tsv")) else 0
    body = [line for line in lines[head:] if line.strip()][:keep]
    return b"\n".join(lines[:head] + body) + b"\n"


def _engine_place(run: GuestRun) -> str:
    """Where the engine was, for a program stopped between two polls (no stack to read)."""
    for line in run.detail.splitlines():
        if "!" in line:
            return (f"it was inside the engine's own `{line.split('!', 1)[1].strip()}` when it stopped, "
                    "so no line of the program can be named")
    return "it was inside the engine's own code when it stopped, so no line of the program can be named"
