"""Scoring: run the agent's answer file and grade its rows, check by check.

Completion is the weighted mean of the task's checks, each in 0..1, so an
answer with the right columns and half the rows right scores in between.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass, field
from typing import Any

from worlds import Session, languages

from .tasks import EXTENSION, TOOLCALLS, Task


@dataclass
class Answer:
    """The rows an answer produced, or why there are none."""

    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    problem: str = ""


@dataclass
class Score:
    completion: float
    checks: dict[str, float]
    problem: str = ""

    @property
    def success(self) -> bool:
        return self.completion >= 1.0


def answer_of(task: Task, session: Session, lang: str) -> Answer:
    """Run ``answer.<ext>`` on a copy of the session's workspace and read its rows."""
    path = f"answer{EXTENSION[lang]}"
    if path not in session.files:
        return Answer(problem=f"no {path} in the workspace")
    if lang == TOOLCALLS:  # the rows themselves, written with write_file
        return _parse(session.files[path].decode(errors="replace"), path)
    scratch = Session(session.world)
    scratch.files = dict(session.files)
    result = scratch.run(path)
    if not result.ok:
        errors = [d for d in result.diagnostics if d.severity == "error"] or result.diagnostics
        return Answer(problem=f"{path} failed: {errors[0].message if errors else ''}")
    if task.output.kind == "file":
        assert task.output.path is not None
        data = scratch.files.get(task.output.path)
        if data is None:
            return Answer(problem=f"{path} did not write {task.output.path}")
        return _parse(data.decode(errors="replace"), task.output.path)
    if result.table is not None:
        return Answer(list(result.table.columns), [list(r) for r in result.table.rows])
    answer = languages.get(lang).answer
    if answer == "program" and result.stdout.strip():
        return _parse(result.stdout, "stdout.json")
    if isinstance(result.value, list):  # a program's completion value, an expression's value
        return _rows(result.value)
    if answer == "value" and isinstance(result.value, dict):  # JSONata gives one match as itself
        return _rows([result.value])
    return Answer(problem="the answer produced no rows")


def grade(task: Task, answer: Answer, expected: dict[str, Any] | None = None) -> Score:
    """``answer`` against the task's expected answer (or ``expected``, one of the same shape)."""
    expected = expected if expected is not None else task.expected()
    want_cols: list[str] = expected["columns"]
    want_rows: list[list[Any]] = expected["rows"]
    out = task.output
    got_index = column_map(want_cols, answer.columns)
    key = [want_cols.index(k) for k in out.key] or list(range(len(want_cols)))
    # Key columns (ids, names, dates) must match exactly; the others within the tolerance.
    tolerances = [0.0 if i in key and out.key else out.tolerance for i in range(len(want_cols))]
    checks: dict[str, float] = {}
    for check in task.scored_checks():
        if check.kind == "columns":
            wanted = [c.lower() for c in want_cols]
            got = [c.lower() for c in answer.columns]
            same = sum(1 for a, b in zip(wanted, got, strict=False) if a == b)
            checks["columns"] = same / max(len(wanted), len(got)) if got else 0.0
        elif check.kind == "row_count":
            checks["row_count"] = float(len(answer.rows) == len(want_rows) and bool(answer.columns))
        elif check.kind == "values":
            checks["values"] = _values(want_rows, answer.rows, got_index, tolerances)
        elif check.kind == "order":
            checks["order"] = _order(want_rows, answer.rows, got_index, key, tolerances)
    total = sum(c.weight for c in task.scored_checks())
    completion = sum(c.weight * checks[c.kind] for c in task.scored_checks()) / total
    return Score(round(completion, 6), checks, answer.problem)


def score(task: Task, session: Session, lang: str, expected: dict[str, Any] | None = None) -> Score:
    return grade(task, answer_of(task, session, lang), expected)


# -- matching -----------------------------------------------------------------------------------


def column_map(want: list[str], got: list[str]) -> list[int | None]:
    """For each expected column, the answer's column: by name (any case), else by position."""
    lowered = [c.lower() for c in got]
    by_name = [lowered.index(c.lower()) if c.lower() in lowered else None for c in want]
    if None in by_name and len(got) == len(want):
        return [i if i is not None else n for n, i in enumerate(by_name)]
    return by_name


def same(want: Any, got: Any, tolerance: float) -> bool:
    """Values match: numbers within ``tolerance`` (numeric text counts), else equal as text."""
    if want is None or got is None:
        return want is None and got is None
    a, b = _number(want), _number(got)
    if a is not None and b is not None:
        # A rounded value one unit off (35867.8 for 35867.7: a sum that fell on .x5) differs by a hair
        # more than the unit in binary floating point; the tolerance is meant to include it.
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=tolerance * (1 + 1e-6) if tolerance else 0.0)
    return str(want).strip() == str(got).strip()


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def pick(row: list[Any], index: list[int | None]) -> list[Any]:
    return [row[i] if i is not None and i < len(row) else _MISSING for i in index]


_MISSING = object()


def _matches(want: list[Any], got: list[Any], tolerances: list[float]) -> bool:
    return all(g is not _MISSING and same(w, g, t) for w, g, t in zip(want, got, tolerances, strict=True))


def _values(want_rows: list[list[Any]], got_rows: list[list[Any]], index: list[int | None],
            tolerances: list[float]) -> float:
    """The share of expected rows found in the answer, each answer row used once."""
    if not want_rows:
        return float(not got_rows)
    left = [pick(r, index) for r in got_rows]
    found = 0
    for want in want_rows:
        for n, got in enumerate(left):
            if _matches(want, got, tolerances):
                found += 1
                del left[n]
                break
    return found / len(want_rows)


def _order(want_rows: list[list[Any]], got_rows: list[list[Any]], index: list[int | None],
           key: list[int], tolerances: list[float]) -> float:
    """1 when the answer's rows, by key, come in the expected order (and all are there)."""
    got = [pick(r, index) for r in got_rows]
    if len(got) != len(want_rows):
        return 0.0
    return float(all(_matches([w[k] for k in key], [g[k] for k in key], [tolerances[k] for k in key])
                     for w, g in zip(want_rows, got, strict=True)))


# -- parsing answers ----------------------------------------------------------------------------


def _parse(text: str, name: str) -> Answer:
    if name.endswith(".csv"):
        reader = list(csv.reader(io.StringIO(text)))
        if not reader:
            return Answer(problem=f"{name} is empty")
        return Answer(reader[0], [list(r) for r in reader[1:]])
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        return Answer(problem=f"{name} is not JSON: {err}")
    if not isinstance(data, list):
        return Answer(problem=f"{name} is not a JSON array of rows")
    return _rows(data)


def _rows(items: list[Any]) -> Answer:
    """An array of objects (keys are columns) or of arrays (no column names)."""
    if not items:
        return Answer()
    if all(isinstance(i, dict) for i in items):
        columns = list(items[0])
        return Answer(columns, [[i.get(c) for c in columns] for i in items])
    if all(isinstance(i, list) for i in items):
        return Answer([], [list(i) for i in items])
    return Answer(problem="the rows are neither objects nor arrays")
