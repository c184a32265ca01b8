"""Figures of the scale workloads (bench/perf/scale.py) as tables, JSON and a log-log plot."""

from __future__ import annotations

import json
import math
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

#: Worlds' SQLite steps above this multiple of the native steps flag a plan regression.
STEPS_FLAG = 2.0


@dataclass
class Figure:
    """One system's cost on one workload at one size (``fuel``: wasm instructions for JS,
    SQLite VM steps for SQL; ``parts``: the table load and the first run of a cold start)."""

    family: str
    system: str
    rows: int
    seconds: float
    fuel: int | None = None
    memory_bytes: int | None = None
    table_bytes: int | None = None
    parts: dict[str, float] = field(default_factory=dict)
    defaults: str | None = None
    ok: bool = True
    note: str = ""
    kept: bool | None = None

    @property
    def us_per_row(self) -> float:
        return self.seconds / self.rows * 1e6


@dataclass
class PlanFigure:
    """One agent-written query in worlds and in the stdlib sqlite3 on the same database."""

    name: str
    query: str
    worlds_steps: int
    native_steps: int
    worlds_seconds: float
    native_seconds: float
    worlds_plan: list[str]
    native_plan: list[str]
    defaults: str
    ok: bool = True
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.worlds_steps / self.native_steps if self.native_steps else math.inf

    @property
    def flags(self) -> list[str]:
        found = []
        if self.ratio > STEPS_FLAG:
            found.append(f"REGRESSION: worlds > {STEPS_FLAG:g}x native steps")
        if self.worlds_plan != self.native_plan:
            found.append("plans differ")
        return found


def plan_lines(rows: list[Any]) -> list[str]:
    """`EXPLAIN QUERY PLAN` rows (id, parent, notused, detail) as indented lines; ids left out,
    since they number opcodes, which differ between SQLite versions for the same plan."""
    depth: dict[int, int] = {}
    lines = []
    for node, parent, _, detail in rows:
        depth[node] = depth[parent] + 1 if parent in depth else 0
        lines.append("  " * depth[node] + str(detail))
    return lines


# -- text -----------------------------------------------------------------------------


def _table(head: list[str], body: list[list[str]], left: Collection[int] = (1,)) -> list[str]:
    widths = [max([len(h)] + [len(row[i]) for row in body]) for i, h in enumerate(head)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if i in left else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()
    return [line(head)] + [line(row) for row in body]


def _n(value: float | None, digits: int = 3) -> str:
    return "-" if value is None or math.isnan(value) else f"{value:,.{digits}f}"


def _big(value: int | None) -> str:
    if value is None:
        return "-"
    for unit, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if value >= scale:
            return f"{value / scale:,.2f} {unit}"
    return str(value)


def _mb(value: int | None) -> str:
    return "-" if value is None else f"{value / 2**20:,.1f}"


def _ratio(figure: Figure, figures: list[Figure], peer: str) -> str:
    other = next((f for f in figures if f.family == figure.family and f.rows == figure.rows
                  and f.system == peer), None)
    return "-" if other is None or other.seconds <= 0 else f"{figure.seconds / other.seconds:,.1f}"


def _limits(limits: dict[str, Any]) -> str:
    parts = []
    if "fuel" in limits:
        parts.append(f"fuel {_big(limits['fuel'])}")
    if "wall_ms" in limits:
        parts.append(f"wall {limits['wall_ms'] / 1000:g} s")
    if "memory_bytes" in limits:
        parts.append(f"memory {limits['memory_bytes'] >> 20} MB")
    return ", ".join(parts)


def render(figures: list[Figure], plans: list[PlanFigure], versions: dict[str, str],
           defaults: dict[int, dict[str, Any]]) -> str:
    out = ["scale: how cost grows with input size", ""]
    out += [f"  {name:<22} {value}" for name, value in versions.items()]
    if defaults:
        out += ["", "world default limits (the `defaults` column runs under these):"]
        out += [f"  {rows:>10,} rows: {_limits(limits)}" for rows, limits in defaults.items()]
    for section in (_js, _cold, _warm, _memory, _growth):
        out += section(figures)
    return "\n".join(out + _plans(plans))


def _kept(figure: Figure) -> str:
    return "-" if figure.kept is None else ("yes" if figure.kept else "no")


def _js(figures: list[Figure]) -> list[str]:
    js = [f for f in figures if f.family == "js"]
    if not js:
        return []
    out = ["", "JS: readCSV + loop (helper) and split + loop (naive); fuel = wasm instructions",
           "  x node: seconds over node split's at the same size; node is timed inside its script"]
    out += _table(
        ["rows", "system", "seconds", "us/row", "x node", "fuel", "memory MB", "defaults", "note"],
        [[f"{f.rows:,}", f.system, _n(f.seconds), _n(f.us_per_row, 2), _ratio(f, js, "node split"),
          _big(f.fuel), _mb(f.memory_bytes), f.defaults or "-", f.note] for f in js],
        left={1, 7, 8})
    helper = [(f.rows, _ratio(f, js, "worlds split")) for f in js if f.system == "worlds readCSV"]
    engine = [(f.rows, _ratio(f, js, "node split")) for f in js if f.system == "worlds split"]
    out.append("  helper cost (worlds readCSV / worlds split): "
               + ", ".join(f"{n:,}: {r}x" for n, r in helper))
    if any(r != "-" for _, r in engine):
        out.append("  engine cost (worlds split / node split):     "
                   + ", ".join(f"{n:,}: {r}x" for n, r in engine))
    same = [(f.rows, _ratio(f, js, "node typed")) for f in js if f.system == "worlds readCSV"]
    if any(r != "-" for _, r in same):
        out.append("  same parse (worlds readCSV / node typed):    "
                   + ", ".join(f"{n:,}: {r}x" for n, r in same))
    return out


def _cold(figures: list[Figure]) -> list[str]:
    cold = [f for f in figures if f.family == "sql cold"]
    if not cold:
        return []
    out = ["", "SQL cold: World(files=...) to the first answer of the grouped query, pool cleared;"
           " load = tables loaded (plain CSV in the guest), first = the first run; steps = SQLite VM steps"]
    return out + _table(
        ["rows", "system", "total s", "load s", "first s", "us/row", "x sqlite3", "x duckdb",
         "steps", "memory MB", "table MB", "defaults", "note"],
        [[f"{f.rows:,}", f.system, _n(f.seconds), _n(f.parts.get("load")), _n(f.parts.get("first")),
          _n(f.us_per_row, 2), _ratio(f, cold, "sqlite3"), _ratio(f, cold, "duckdb"),
          _big(f.fuel), _mb(f.memory_bytes), _mb(f.table_bytes), f.defaults or "-", f.note] for f in cold],
        left={1, 11, 12})


def _warm(figures: list[Figure]) -> list[str]:
    warm = [f for f in figures if f.family == "sql warm"]
    if not warm:
        return []
    out = ["", "SQL warm: the same query again on the warm world; sqlite3 on world.schema().database;"
           " kept = the warm guest outlived the run"]
    return out + _table(
        ["rows", "system", "seconds", "us/row", "x sqlite3", "x duckdb", "memory MB", "kept", "defaults",
         "note"],
        [[f"{f.rows:,}", f.system, _n(f.seconds, 4), _n(f.us_per_row, 3), _ratio(f, warm, "sqlite3"),
          _ratio(f, warm, "duckdb"), _mb(f.memory_bytes), _kept(f), f.defaults or "-", f.note] for f in warm],
        left={1, 7, 8, 9})


def _memory(figures: list[Figure]) -> list[str]:
    ours = {(f.family, f.rows): f for f in figures
            if f.family in ("sql cold", "sql warm") and f.system == "worlds" and f.table_bytes}
    if not ours:
        return []
    body = []
    for n in sorted({rows for _, rows in ours}):
        cold, warm = ours.get(("sql cold", n)), ours.get(("sql warm", n))
        either = warm or cold
        assert either is not None
        guest, table = either.memory_bytes, either.table_bytes
        body.append([f"{n:,}", _mb(cold.memory_bytes if cold else None),
                     _mb(warm.memory_bytes if warm else None), _mb(table),
                     _n(guest / table if guest and table else None, 2),
                     _mb(guest - table if guest and table else None)])
    return ["", "SQL guest memory against the table's SQLite size"] + _table(
        ["rows", "guest MB cold", "guest MB warm", "table MB", "guest/table", "guest - table MB"],
        body, left=())


def _plans(plans: list[PlanFigure]) -> list[str]:
    if not plans:
        return []
    out = ["", "Plans: agent-written queries, worlds against the stdlib sqlite3 on the same database;"
           f" steps counted every 1,000 SQLite VM steps; flagged above {STEPS_FLAG:g}x"]
    out += _table(
        ["query", "worlds steps", "native steps", "ratio", "worlds s", "native s", "defaults", "flags"],
        [[p.name, f"{p.worlds_steps:,}", f"{p.native_steps:,}", _n(p.ratio, 2), _n(p.worlds_seconds),
          _n(p.native_seconds), p.defaults, "; ".join(p.flags + ([p.note] if p.note else [])) or "-"]
         for p in plans],
        left={0, 6, 7})
    for p in plans:
        out += ["", f"  {p.name}:"] + ["    " + line for line in p.query.splitlines()]
        if p.worlds_plan == p.native_plan:
            out += ["  plan (worlds and sqlite3 alike):"] + ["    " + line for line in p.worlds_plan]
        else:
            out += ["  plan in worlds:"] + ["    " + line for line in p.worlds_plan]
            out += ["  plan in sqlite3:"] + ["    " + line for line in p.native_plan]
    return out


def _growth(figures: list[Figure]) -> list[str]:
    """Microseconds per row at each size, and largest over smallest: 1.0 is linear growth."""
    sizes = sorted({f.rows for f in figures})
    if len(sizes) < 2:
        return []
    series: dict[str, dict[int, float]] = {}
    for f in figures:
        series.setdefault(f"{f.family}: {f.system}", {})[f.rows] = f.us_per_row
    body = []
    for name, by in series.items():
        first, last = by.get(sizes[0]), by.get(sizes[-1])
        body.append([name] + [_n(by.get(n), 2) for n in sizes]
                    + [_n(last / first if first and last is not None else None, 2)])
    return ["", f"Growth: microseconds per row by size; last column {sizes[-1]:,} over {sizes[0]:,} rows"
            " (1.0 = linear)"] + _table(["workload"] + [f"{n:,}" for n in sizes] + ["growth"], body, left={0})


# -- JSON and plot --------------------------------------------------------------------


def write_json(path: Path, figures: list[Figure], plans: list[PlanFigure], versions: dict[str, str],
               defaults: dict[int, dict[str, Any]]) -> None:
    data = {"versions": versions,
            "default_limits": {str(n): limits for n, limits in defaults.items()},
            "figures": [{**asdict(f), "us_per_row": f.us_per_row} for f in figures],
            "plans": [{**asdict(p), "ratio": p.ratio, "flags": p.flags} for p in plans]}
    path.write_text(json.dumps(data, indent=2) + "\n")


def plot(path: Path, figures: list[Figure]) -> bool:
    """Microseconds per row against rows, log-log: JS on the left, SQL on the right."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    panels = [("JS: sum qty*price by region", ["js"]), ("SQL: grouped query", ["sql cold", "sql warm"])]
    colours = {"worlds": "tab:blue", "worlds readCSV": "tab:blue", "worlds split": "tab:purple",
               "node split": "tab:green", "node typed": "tab:olive", "sqlite3": "tab:orange",
               "duckdb": "tab:green"}
    fig, axes = plt.subplots(1, 2, figsize=(12, 5))
    for ax, (title, families) in zip(axes, panels, strict=True):
        for family in families:
            for system in dict.fromkeys(f.system for f in figures if f.family == family):
                points = sorted((f.rows, f.us_per_row) for f in figures
                                if f.family == family and f.system == system)
                label = system if len(families) == 1 else f"{system} ({family.split()[1]})"
                ax.plot([p[0] for p in points], [p[1] for p in points], ":" if family == "sql warm" else "-",
                        marker="o" if system.startswith("worlds") else "s", color=colours.get(system),
                        label=label)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("rows")
        ax.set_ylabel("microseconds per row")
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return True
