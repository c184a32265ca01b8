"""Check tasks by hand: ``python -m bench.harness.validate [TASK...] [--expect]``.

Runs every reference solution of each task in a fresh session and prints its
score. ``--expect`` first writes ``expected.json`` from the SQL reference (or
the first arm's), for a new task; read it before you trust it.
"""

from __future__ import annotations

import argparse
import json
import sys

from worlds import Session

from . import apitools
from .agents.base import Message
from .agents.offline import next_calls
from .score import answer_of, grade
from .tasks import EXTENSION, TASKS, TOOLCALLS, Task, all_tasks, load


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.harness.validate")
    parser.add_argument("tasks", nargs="*", help="task folder names (default: all)")
    parser.add_argument("--expect", action="store_true", help="write expected.json from a reference first")
    args = parser.parse_args(argv)
    tasks = [load(TASKS / name) for name in args.tasks] if args.tasks else all_tasks()
    bad = 0
    for task in tasks:
        if args.expect:
            lang = "sql" if "sql" in task.arms else task.arms[0]  # an API task: its JS reference
            answer = answer_of(task, _session(task, lang), lang)
            if answer.problem:
                print(f"{task.name}: cannot write expected.json: {answer.problem}")
                bad += 1
                continue
            (task.folder / "expected.json").write_text(expected_text(answer.columns, answer.rows))
        for lang in task.arms:
            answer = answer_of(task, _session(task, lang), lang)
            score = grade(task, answer)
            bad += not score.success
            print(f"{task.name:<32} {lang:<5} {score.completion:.3f} {score.checks} {score.problem}")
    return 1 if bad else 0


def expected_text(columns: list[str], rows: list[list[object]]) -> str:
    """expected.json with one row a line, so a change to the answer reads as a small diff."""
    body = ",\n  ".join(json.dumps(r) for r in rows)
    return f'{{"columns": {json.dumps(columns)},\n "rows": [\n  {body}\n ]}}\n'


def _session(task: Task, lang: str) -> Session:
    session = task.load_world().session()
    if lang == TOOLCALLS:  # play the reference's tool calls straight against the API
        said: list[Message] = []
        while (batch := next_calls(task.solution(lang), said)) is not None:
            for name, args in batch:
                if name == "write_file":
                    session.write(args["path"], args["content"])
                    said.append({"role": "tool", "content": "written"})
                else:
                    said.append({"role": "tool", "content": apitools.call(session.world, name, args)[0]})
        return session
    session.write(f"answer{EXTENSION[lang]}", task.solution(lang))
    return session


if __name__ == "__main__":
    sys.exit(main())
