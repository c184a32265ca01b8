"""SQL and PRQL as :class:`~worlds.languages.Language` objects: one front end, one SQLite guest."""

from __future__ import annotations

import importlib.metadata
import re
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar

from ...result import Phase, RunResult, RunStats, Table
from ..base import Language
from ..js.source import clean
from . import runner
from .prql import STD

if TYPE_CHECKING:
    from ...diagnostics import Diagnostic
    from ...limits import Limits
    from ...world import World

# Statements that open an SQL program and are never valid JavaScript.
_SQL_START = re.compile(
    r"\s*(?:--[^\n]*\n\s*)*(?:SELECT\s+(?![-=.(\[+*/%<>&|?:,;)!])|WITH\s+(?:RECURSIVE\s|\w+\s+AS\s*\()|INSERT\s+INTO\s"
    r"|DELETE\s+FROM\s|UPDATE\s+\w+\s+SET\s|CREATE\s+(?:TEMP|TEMPORARY|TABLE|VIEW|INDEX)\s"
    r"|PRAGMA\s|EXPLAIN\s)", re.IGNORECASE)


class Sql(Language):
    name = "sql"
    extensions = (".sql",)
    aliases: ClassVar[tuple[str, ...]] = ("sqlite", "postgres", "postgresql", "duckdb", "mysql")
    title = "SQL"
    summary = "SQLite, Postgres, DuckDB, MySQL, SQL Server or Oracle spelling"
    code_prefix = "SQL"
    budget = "steps"
    budget_label = "SQLite steps"  # SQL's fuel counts SQLite VM steps, in thousands
    answer = "query"
    card_tables = True

    def claims(self, code: str) -> bool:
        return _SQL_START.match(code) is not None

    def check(self, world: World, source: str, *, file: str, workspace: Mapping[str, bytes],
              inline: bool) -> list[Diagnostic]:
        text = clean(source) if inline else source
        compiled, _ = runner.check(text, world.schema(workspace), lang=self.name, file=file)
        return list(compiled.diagnostics)

    def run(self, world: World, *, source: str, name: str, code: str | None, entry: str | None,
            workspace: dict[str, bytes], limits: Limits, raw: bool) -> RunResult:
        started = time.perf_counter()
        schema, loaded_now = world.tables(workspace)
        phases = {"load": Phase(ms=round((time.perf_counter() - started) * 1000, 3),
                                rows=sum(t.rows for t in schema.tables.values()))} if loaded_now else {}
        out = runner.run(source, schema, lang=self.name, file=name, now_ns=world.now_ns, seed=world.seed,
                         limits=limits, raw=raw)
        table = None if out.columns is None else Table(columns=out.columns, rows=out.rows,
                                                          row_count=out.row_count)
        phases.update({k: Phase(ms=round(ms, 3)) for k, ms in out.phases.items()})
        if "run" in phases:
            phases["run"] = Phase(ms=phases["run"].ms, rows=out.row_count)
        earlier = [Table(columns=r["columns"], rows=r["rows"], row_count=r["total"]) for r in out.earlier]
        return RunResult(lang=self.name, value=out.value, table=table, results=earlier,
                         diagnostics=out.diagnostics,
                         sources=out.sources,
                         # The wall time is the whole wait: tables loaded and a guest started for it too.
                         stats=RunStats(fuel=out.fuel, wall_ms=round(sum(p.ms for p in phases.values()), 3),
                                        memory_bytes=out.memory_bytes, phases=phases))


class Prql(Sql):
    name = "prql"
    extensions = (".prql",)
    aliases = ()
    title = "PRQL"
    summary = ""
    code_prefix = "PRQL"
    card_order = 10

    def claims(self, code: str) -> bool:
        return False

    def card_section(self, world: World) -> list[str]:
        return ["", prql_summary()]


def prql_summary() -> str:
    """PRQL's version and the functions of its standard library that worlds checked."""
    modules = "; ".join(f"{module}.{{{', '.join(names)}}}" for module, names in STD.items())
    return (f"PRQL {importlib.metadata.version('prqlc')} (prqlc), compiled to the SQLite above: {modules}; "
            "join text with f\"{a}{b}\"; any SQLite function through an s-string: s\"ceil({x})\"")
