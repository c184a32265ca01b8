"""The corpus of broken SQL: each query gets the right diagnostic, in the right place, with a working fix.

``sql_corpus/broken.toml`` holds the cases (see its header). The first diagnostic of each case
must carry the expected code, severity and primary span; when the diagnostics offer applicable
fixes, applying all of them must give the expected text, which checks clean and returns the
expected rows.
"""

from __future__ import annotations

import functools
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from worlds import catalog
from worlds.diagnostics import REGISTRY, Fix, render
from worlds.languages.sql import schema
from worlds.languages.sql.front import compile_sql
from worlds.languages.sql.native import run_native

CORPUS = Path(__file__).parent / "sql_corpus" / "broken.toml"
CASES: list[dict[str, Any]] = tomllib.loads(CORPUS.read_text(encoding="utf-8"))["case"]
KEYS = {"name", "world", "note", "query", "code", "severity", "span", "fixed", "rows"}


@functools.cache
def world(name: str) -> schema.Schema:
    return schema.load(catalog.load(name).files)


def expected_rows(case: dict[str, Any]) -> list[list[Any]]:
    return [[None if value == {} else value for value in row] for row in case["rows"]]


def test_corpus_shape() -> None:
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names)), [n for n, k in Counter(names).items() if k > 1]
    assert len(CASES) >= 45
    for case in CASES:
        assert set(case) <= KEYS and {"name", "world", "query", "code", "severity", "span"} <= set(case)
        assert case["code"] in REGISTRY, case["name"]
        assert ("fixed" in case) == ("rows" in case), case["name"]
    codes = {case["code"] for case in CASES}
    # SQL2023 marks a checker bug: no query should produce it.
    static = {code for code in REGISTRY if code.startswith("SQL2")} - {"SQL2023"}
    assert static <= codes, f"codes without a corpus case: {sorted(static - codes)}"
    assert sum("fixed" in case for case in CASES) >= 25


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_diagnostic_code_and_span(case: dict[str, Any]) -> None:
    source = case["query"]
    out = compile_sql(source, world(case["world"]))
    assert out.diagnostics, "no diagnostic"
    first = out.diagnostics[0]
    shown = "\n\n".join(render(d, {"<code>": source}) for d in out.diagnostics)
    assert (first.code, first.severity) == (case["code"], case["severity"]), shown
    span = [first.span.start.line, first.span.start.column, first.span.end.line,
            first.span.end.column] if first.span else []
    assert span == case["span"], shown
    assert first.message and (first.help or first.notes or first.fixes or first.label), shown


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_applicable_fixes_give_the_expected_rows(case: dict[str, Any]) -> None:
    source = case["query"]
    out = compile_sql(source, world(case["world"]))
    edits = [edit for d in out.diagnostics for fix in d.fixes if fix.applicable for edit in fix.edits]
    if "fixed" not in case:
        assert not edits, f"an applicable fix the corpus does not expect: {edits}"
        return
    fixed = Fix(description="all fixes", edits=edits).apply(source)
    assert fixed == case["fixed"]
    again = compile_sql(fixed, world(case["world"]))
    assert not [d for d in again.diagnostics if d.severity == "error"], \
        [render(d, {"<code>": fixed}) for d in again.diagnostics]
    _, rows = run_native(world(case["world"]), again)
    assert rows == expected_rows(case)
