"""SQL workloads: the warm guest against the stdlib ``sqlite3`` module, on the same data.

    sqlgroup10k  group 10,000 rows, end to end through `world.run` (sqlglot front
                 end included), a literal varied every call so no cache keyed on
                 the query text helps; the peer runs the same statements through
                 the stdlib sqlite3 module on the same tables     (p50, ratio)
    sqlcold      the first query of a new world: tables loaded, guest started,
                 compiled module cached                          (p50)
    sqlmemory    linear memory of a warm world's guest           (MB)
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable
from typing import Any

from worlds import World
from worlds.languages.sql.schema import load

QUERY = ("SELECT kind, COUNT(*) AS n, SUM(amount) AS total, AVG(amount) AS mean "
         "FROM events WHERE amount > {cut} GROUP BY kind ORDER BY total DESC")


def events(n: int = 10_000, variant: int = 0) -> str:
    kinds = ["view", "click", "buy", "refund", "share"]
    rows = "".join(f"{i},{kinds[i * 7 % 5]},{(i + variant) % 97},2024-0{1 + i % 9}-1{i % 10}\n"
                   for i in range(n))
    return "id,kind,amount,day\n" + rows


def compared(interleaved: Callable[..., dict[str, dict[str, float]]],
             quick: bool) -> dict[str, dict[str, float]]:
    """sqlgroup10k for worlds and the stdlib sqlite3 module, interleaved."""
    world = World(files={"events.csv": events()})
    con = sqlite3.connect(":memory:")
    con.deserialize(world.schema().database)
    counters = {"worlds": itertools.count(), "sqlite3": itertools.count()}

    def ours() -> Any:
        result = world.run(QUERY.format(cut=next(counters["worlds"]) % 90), lang="sql")
        assert result.ok, result
        return result.table

    def peer() -> Any:
        return con.execute(QUERY.format(cut=next(counters["sqlite3"]) % 90)).fetchall()

    check = world.run(QUERY.format(cut=7), lang="sql")
    assert check.table is not None and check.table.rows == [
        list(r) for r in con.execute(QUERY.format(cut=7)).fetchall()], "worlds and sqlite3 disagree"
    return interleaved({"worlds": ours, "sqlite3": peer}, runs=50 if quick else 400, warmup=20)


def alone(interleaved: Callable[..., dict[str, dict[str, float]]],
          quick: bool) -> dict[str, dict[str, float]]:
    """sqlcold (a new world each call) and the warm guest's memory."""
    variants = itertools.count(1)

    def cold() -> None:
        result = World(files={"events.csv": events(10_000, next(variants))}).run(
            QUERY.format(cut=5), lang="sql")
        assert result.ok, result

    figures = {"sqlcold": interleaved({"worlds": cold}, runs=5 if quick else 20, warmup=1)["worlds"]}
    world = World(files={"events.csv": events()})
    result = world.run(QUERY.format(cut=3), lang="sql")
    figures["sqlmemory"] = {"mb": result.stats.memory_bytes / 2**20,
                            "tables_mb": len(load(world.files).database) / 2**20}
    return figures
