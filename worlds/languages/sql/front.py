"""The SQL front end (being written): statements and diagnostics from the agent's SQL text."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...diagnostics import Diagnostic, Span
from .schema import Schema


@dataclass(frozen=True)
class Statement:
    sql: str
    start: int
    end: int
    kind: str


@dataclass
class Compiled:
    dialect: str
    statements: list[Statement]
    diagnostics: list[Diagnostic] = field(default_factory=list)


def compile_sql(source: str, schema: Schema, *, file: str = "<code>") -> Compiled:
    text = source.strip().rstrip(";")
    return Compiled("sqlite", [Statement(text, 0, len(source), "query")], [])


def runtime_error(message: str, statement: Statement, source: str, schema: Schema, *,
                  file: str = "<code>") -> Diagnostic:
    return Diagnostic(code="RUN1007", message=message, file=file,
                      span=Span.from_offsets(source, statement.start, statement.end))
