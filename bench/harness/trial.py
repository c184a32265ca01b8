"""Trials with an agent that lives outside the harness: a model in a shell, one command per action.

The bench's own agents speak to model APIs. A trial is for an agent that can
only run shell commands (a coding agent, a helper model): it sees what an
agent behind an API sees and acts through the same session tools, and the
bench's scorer grades what it leaves. Each attempt is a ``RUN`` (a name you
choose) with its own workspaces under ``OUT/RUN/``.

    python -m bench.harness.trial brief ARM TASK              # the loop's goal, as Task.brief says it
    python -m bench.harness.trial call RUN ARM TASK TOOL JSON  # one tool call; prints the tool's answer
    python -m bench.harness.trial prompt ARM TASK             # one shot: the system and user messages
    python -m bench.harness.trial tools TASK [--arm ARM]       # the tools and their parameters
    python -m bench.harness.trial score                        # every run: completion, calls, characters
    python -m bench.harness.trial ask ARM TASK                # the question asked before an episode
    python -m bench.harness.trial plan RUN ARM TASK TEXT      # one answer to it, before the first call
    python -m bench.harness.trial fault RUN ARM TASK outside-change   # the host changes an input later
    python -m bench.harness.trial say RUN ARM TASK TEXT       # the agent's closing message
    python -m bench.harness.trial report [--into DIR]         # report.md and report.html of the trials

``ARM`` is a language (``sql``, ``js``, ``prql``, ``jsonata``), ``sqlraw`` (SQL with
raw diagnostics) or ``toolcalls`` (an API world's functions as tools of their own;
``tools`` lists them after the session's). A one-shot attempt saves its whole reply as
``OUT/RUN/oneshot/ARM-TASK.txt``; ``score`` grades its last fenced block as the
harness does. A loop attempt is traced as a bench episode (one call a turn) in
``OUT/RUN/traces/ARM-TASK.jsonl`` (``trialtrace.py``), so transcripts, report.html,
the claims check, ``bench.critique`` and the stated-plan comparison read trials too.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections import defaultdict
from dataclasses import asdict
from pathlib import Path

from worlds import languages
from worlds.session import Session

from . import apitools, ask
from .episode import oneshot_messages, program_in
from .report import write_report
from .score import score
from .tasks import TASKS, TOOLCALLS, Task, load
from .trialtrace import TrialTrace, system_prompt

OUT = Path("bench/out/trials")


def _lang(arm: str) -> str:
    return "sql" if arm == "sqlraw" else arm


ARMS = [*languages.names(), "sqlraw", TOOLCALLS]


def _state(out: Path, run: str, arm: str, task: str) -> Path:
    return out / run / "loop" / f"{arm}-{task}.json"


def call(out: Path, run: str, arm: str, task_name: str, tool: str, arguments: str) -> str:
    """One tool call in the run's workspace for ``task_name``; logged for ``score``, traced for the rest."""
    task = load(TASKS / task_name)
    session = _session(out, run, arm, task)
    trace = TrialTrace(out, run, arm, task)
    trace.begin(_tool_names(session, arm))
    if arm == TOOLCALLS and tool != "write_file":  # the API's functions, each a tool of its own
        text, ok = apitools.call(session.world, tool, arguments)
        answer: dict[str, object] = {"content": text, "ok": ok, "diagnostics": []}
    else:
        result = session.call_result(tool, arguments)
        text = result.text
        answer = {"content": text, "ok": result.ok, "receipt": result.receipt, "changed": result.changed,
                  "diagnostics": [d.to_json() for d in result.diagnostics]}
    trace.called(session, tool, _parsed(arguments), answer)
    _state(out, run, arm, task_name).write_text(json.dumps(session.state()))
    with (out / run / "calls.jsonl").open("a") as log:
        log.write(json.dumps({"arm": arm, "task": task_name, "tool": tool, "chars_in": len(arguments),
                              "chars_out": len(text)}) + "\n")
    return text


def _session(out: Path, run: str, arm: str, task: Task) -> Session:
    path = _state(out, run, arm, task.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    world = task.load_world()
    return (Session.restore(world, json.loads(path.read_text())) if path.exists()
            else Session(world, diagnostics="raw" if arm == "sqlraw" else "full"))


def _tool_names(session: Session, arm: str) -> list[str]:
    names = [s["name"] for s in session.tools("anthropic")]
    if arm == TOOLCALLS:
        return [s["name"] for s in apitools.specs(session.world, "anthropic")] + \
            [n for n in names if n in apitools.KEPT]
    return names


def _parsed(arguments: str) -> object:
    try:
        return json.loads(arguments)
    except ValueError:
        return arguments  # traced as the model sent it


def say(out: Path, run: str, arm: str, task_name: str, text: str) -> None:
    """The agent's closing message: recorded, and the trial's answer scored as it stands."""
    task = load(TASKS / task_name)
    session = _session(out, run, arm, task)
    trace = TrialTrace(out, run, arm, task)
    trace.begin(_tool_names(session, arm))
    trace.said(session, text)


def report(out: Path, into: Path) -> Path:
    """Every traced trial under ``out`` as rows of ``into/episodes.jsonl``, with the bench's report."""
    rows = []
    (into / "traces").mkdir(parents=True, exist_ok=True)
    for path in sorted(out.glob("*/traces/*.jsonl")):
        run, (arm, name) = path.parent.parent.name, path.stem.split("-", 1)
        task = load(TASKS / name)
        trace = TrialTrace(out, run, arm, task)
        row = trace.row(_session(out, run, arm, task))
        shutil.copyfile(path, into / row.trace)
        rows.append(json.dumps(asdict(row), sort_keys=True))
    (into / "episodes.jsonl").write_text("".join(r + "\n" for r in rows))
    return write_report(into)


def results(out: Path) -> list[dict[str, object]]:
    """One row per (run, mode, arm, task) found under ``out``, scored by the bench's scorer."""
    rows: list[dict[str, object]] = []
    for run in sorted(p for p in out.iterdir() if p.is_dir()):
        calls: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        log = run / "calls.jsonl"
        for line in log.read_text().splitlines() if log.exists() else []:
            item = json.loads(line)
            counted = calls[(item["arm"], item["task"])]
            counted[0] += 1
            counted[1] += item["chars_in"] + item["chars_out"]
        for path in sorted((run / "loop").glob("*.json")):
            arm, name = path.stem.split("-", 1)
            task = load(TASKS / name)
            session = Session.restore(task.load_world(), json.loads(path.read_text()))
            expected = TrialTrace(out, run.name, arm, task).expected()  # the changed world's, after a fault
            n, chars = calls[(arm, name)]
            rows.append({"run": run.name, "mode": "loop", "arm": arm, "task": name, "calls": n,
                         "chars": chars, "completion": score(task, session, _lang(arm), expected).completion})
        for path in sorted((run / "oneshot").glob("*.txt")):
            arm, name = path.stem.split("-", 1)
            task = load(TASKS / name)
            session = Session(task.load_world())
            session.write(task.answer_path(_lang(arm)), program_in(path.read_text()))
            rows.append({"run": run.name, "mode": "oneshot", "arm": arm, "task": name, "calls": 0,
                         "chars": len(path.read_text()),
                         "completion": score(task, session, _lang(arm)).completion})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.harness.trial",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"where runs live (default {OUT})")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("brief", "prompt"):
        p = sub.add_parser(name)
        p.add_argument("arm", choices=ARMS)
        p.add_argument("task")
    p = sub.add_parser("call")
    p.add_argument("run")
    p.add_argument("arm", choices=ARMS)
    p.add_argument("task")
    p.add_argument("tool")
    p.add_argument("arguments", nargs="?", default="{}")
    p = sub.add_parser("tools")
    p.add_argument("task")
    p.add_argument("--arm", choices=ARMS, default="sql", help="toolcalls: the API's tools and write_file")
    sub.add_parser("score")
    p = sub.add_parser("ask", help="the question asked before an episode (--ask), as an API agent gets it")
    p.add_argument("arm", choices=ARMS)
    p.add_argument("task")
    for name, what in (("plan", "one answer to the ask question, before the first call"),
                       ("say", "the agent's closing message, after its last call")):
        p = sub.add_parser(name, help=what)
        p.add_argument("run")
        p.add_argument("arm", choices=ARMS)
        p.add_argument("task")
        p.add_argument("text")
    p = sub.add_parser("fault", help="arm a world fault (outside-change) before the first call")
    p.add_argument("run")
    p.add_argument("arm", choices=ARMS)
    p.add_argument("task")
    p.add_argument("kind")
    p = sub.add_parser("report", help="every traced trial as episodes.jsonl, report.md and report.html")
    p.add_argument("--into", type=Path, help="the report's folder (default OUT-report, beside OUT)")
    args = parser.parse_args(argv)
    try:
        if args.command == "brief":
            lang, task = _lang(args.arm), load(TASKS / args.task)
            print(system_prompt(task, args.arm) + "\n\n" + task.brief(lang))
        elif args.command == "ask":
            lang, task = _lang(args.arm), load(TASKS / args.task)
            card = task.load_world().description if lang == TOOLCALLS else task.load_world().describe(lang)
            for message in ask.question(task.brief(lang), card):
                print(f"[{message['role']}]\n{message['content']}\n")
        elif args.command == "plan":
            task = load(TASKS / args.task)
            session = _session(args.out, args.run, args.arm, task)
            trace = TrialTrace(args.out, args.run, args.arm, task)
            event = trace.plan(args.text, _tool_names(session, args.arm))
            problem = f" ({event['problem']})" if event.get("problem") else ""
            print(f"plan {event['n'] + 1} recorded{problem}")
        elif args.command == "fault":
            TrialTrace(args.out, args.run, args.arm, load(TASKS / args.task)).arm_fault(args.kind)
            print(f"{args.kind} armed: after the first turn that runs the answer file, the host changes "
                  "an input")
        elif args.command == "say":
            say(args.out, args.run, args.arm, args.task, args.text)
            print("recorded")
        elif args.command == "report":
            # Beside OUT, not in it: a folder in OUT would be read back as a run.
            print(report(args.out, args.into or args.out.with_name(args.out.name + "-report")))
        elif args.command == "prompt":
            task, lang = load(TASKS / args.task), _lang(args.arm)
            for message in oneshot_messages(task, lang, task.load_world().describe(lang)):
                print(f"[{message['role']}]\n{message['content']}\n")
        elif args.command == "call":
            print(call(args.out, args.run, args.arm, args.task, args.tool, args.arguments))
        elif args.command == "tools":
            world = load(TASKS / args.task).load_world()
            specs = Session(world).tools("anthropic")
            if args.arm == TOOLCALLS:
                specs = apitools.specs(world, "anthropic") + [s for s in specs if s["name"] in apitools.KEPT]
            for spec in specs:
                schema = spec["input_schema"]
                print(f"## {spec['name']}\n{spec['description']}\n"
                      f"parameters: {json.dumps(schema['properties'])}\n"
                      f"required: {schema.get('required', [])}\n")
        else:
            for row in results(args.out):
                print(json.dumps(row))
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
