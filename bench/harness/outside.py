"""The ``outside-change`` fault: the host changes an input between turns, and the right answer with it.

After the agent's first turn the harness, as the host, replaces one input data
file of the session (``Session.replace_input``) with a copy missing a tenth of
its rows, chosen by a generator seeded with the episode's seed and task. The
file is one the task's reference solution reads: the first (in seeded order)
whose change changes the reference's answer. That answer, computed by running
the reference against the changed files, is what the episode is scored on
from then on.

Whether the agent took the change into account is judged on the answer as
the agent last ran it (the rows it saw and would report), not on its answer
file run again at the end, which would pick the change up by itself.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

from worlds import Session, World

from .score import Answer, answer_of, column_map, grade, pick
from .tasks import Task

KIND = "outside-change"
#: The share of rows the host removes (at least one).
SHARE = 0.1


@dataclass(frozen=True)
class Shift:
    """The change the host makes: input ``path`` becomes ``data``; ``expected`` is the answer after it."""

    path: str
    data: bytes
    expected: dict[str, Any]


def plan_shift(task: Task, lang: str, seed: int) -> Shift | None:
    """The change for this episode, or None when no input's change changes the reference's answer."""
    world = task.load_world()
    rng = random.Random(f"{seed}:{task.name}:{KIND}")
    paths = sorted(p for p in world.files if p.endswith((".csv", ".tsv", ".jsonl", ".json")))
    rng.shuffle(paths)
    before = task.expected()
    for path in paths:
        data = thinned(world.files[path], path, rng)
        if data is None:
            continue
        expected = reference_answer(task, lang, world, {path: data})
        if expected is not None and expected["rows"] != before["rows"]:
            return Shift(path, data, expected)
    return None


def thinned(data: bytes, path: str, rng: random.Random) -> bytes | None:
    """``data`` without a seeded tenth of its rows (CSV/TSV: a header kept; JSONL; a JSON array)."""
    if path.endswith(".json"):
        try:
            items = json.loads(data)
        except ValueError:
            return None
        if not isinstance(items, list) or len(items) < 2:
            return None
        gone = _chosen(len(items), rng)
        return json.dumps([x for i, x in enumerate(items) if i not in gone], ensure_ascii=False,
                          indent=1).encode() + b"\n"
    lines = data.decode(errors="replace").splitlines(keepends=True)
    head = 0 if path.endswith(".jsonl") else 1
    rows = [n for n in range(head, len(lines)) if lines[n].strip()]
    if len(rows) < 2:
        return None
    gone = {rows[i] for i in _chosen(len(rows), rng)}
    return "".join(line for n, line in enumerate(lines) if n not in gone).encode()


def _chosen(count: int, rng: random.Random) -> set[int]:
    return set(rng.sample(range(count), max(1, int(count * SHARE))))


def reference_answer(task: Task, lang: str, world: World, inputs: dict[str, bytes]) -> dict[str, Any] | None:
    """The reference solution's answer with ``inputs`` replaced, as ``expected.json`` holds one."""
    scratch = Session(world)
    for path, data in inputs.items():
        scratch.replace_input(path, data)
    scratch.write(task.answer_path(lang), task.solution(lang))
    return expected_of(task, answer_of(task, scratch, lang))


def expected_of(task: Task, answer: Answer) -> dict[str, Any] | None:
    if answer.problem:
        return None
    columns = task.expected()["columns"]
    index = column_map(columns, answer.columns)
    if None in index:
        return None
    return {"columns": columns, "rows": [pick(row, index) for row in answer.rows]}


def verdict(task: Task, lang: str, world: World, files: dict[str, bytes], shift: Shift) -> str:
    """How the answer in ``files`` (the workspace when the agent last ran it) stands to the change:
    ``seen`` (it is the changed world's answer), ``stale`` (the world's answer before the change)
    or ``wrong`` (neither)."""
    scratch = Session(world)
    scratch.files = dict(files)
    answer = answer_of(task, scratch, lang)
    if grade(task, answer, shift.expected).success:
        return "seen"
    return "stale" if grade(task, answer).success else "wrong"
