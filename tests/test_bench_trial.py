"""Trials traced as bench episodes: asks, the outside-change fault, the closing message, the report."""

from __future__ import annotations

import json
from pathlib import Path

from bench.harness import trial
from bench.harness.tasks import TASKS, load
from bench.harness.transcript import render
from bench.traces.claims import check

TASK = "events_revenue_by_country"
PLAN = json.dumps({"language": "sql", "steps": ["list the files", "write the query", "run it"],
                   "pitfalls": ["a country name may be misspelt"]})


def play(out: Path, run: str, arm: str, *, rerun: bool, fault: bool = True) -> None:
    """An agent that plans, writes the reference answer, runs it, and (``rerun``) runs it again."""
    solution = (TASKS / TASK / "solution.sql").read_text()
    T = ["--out", str(out)]  # noqa: N806
    if fault:
        assert trial.main([*T, "fault", run, arm, TASK, "outside-change"]) == 0
    assert trial.main([*T, "plan", run, arm, TASK, PLAN]) == 0
    assert trial.main([*T, "call", run, arm, TASK, "write_file",
                       json.dumps({"path": "answer.sql", "content": solution})]) == 0
    assert trial.main([*T, "call", run, arm, TASK, "run", '{"path": "answer.sql"}']) == 0
    if rerun:
        assert trial.main([*T, "call", run, arm, TASK, "run", '{"path": "answer.sql"}']) == 0
    assert trial.main([*T, "say", run, arm, TASK, "Done. I ran answer.sql and all tests pass."]) == 0


def events(out: Path, run: str, arm: str) -> list[dict]:
    path = out / run / "traces" / f"{arm}-{TASK}.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_a_trial_is_traced_as_an_episode_and_reported(tmp_path, capsys):
    out = tmp_path / "trials"
    play(out, "told", "sql", rerun=True)
    play(out, "untold", "sqlraw", rerun=False)
    play(out, "plain", "sql", rerun=False, fault=False)
    told = events(out, "told", "sql")
    assert [e["type"] for e in told[:4]] == ["episode", "message", "message", "ask"]
    assert told[-1]["type"] == "result" and told[-1]["outside"] == "seen"  # as an episode ends
    assert told[0]["agent"] == "trial:told" and told[0]["fault"] == "outside-change"
    assert told[3]["plan"]["language"] == "sql"
    change = next(e for e in told if e["type"] == "outside")
    assert change["turn"] == 2 and change["text"].startswith("[changed outside your calls]")
    rerun = next(e for e in told if e["type"] == "tool_result" and e["turn"] == 3)
    assert rerun["content"].startswith("[changed outside your calls]")  # the next answer says so
    untold = events(out, "untold", "sqlraw")
    assert next(e for e in untold if e["type"] == "outside")["text"] == ""  # raw: nothing shown
    text = render(out / "told" / "traces" / f"sql-{TASK}.jsonl")
    assert "ask 1" in text and "outside the agent's calls" in text
    flags = [flag for _, flag in check(told)]
    assert [f["claim"] for f in flags] == ["tests_pass"]  # "ran answer.sql" is true; no test ran

    capsys.readouterr()
    assert trial.main(["--out", str(out), "report"]) == 0
    report = Path(capsys.readouterr().out.strip())
    lines = (report.parent / "episodes.jsonl").read_text().splitlines()
    rows = {r["agent"]: r for r in map(json.loads, lines)}
    assert rows["trial:told"]["outside"] == "seen" and rows["trial:untold"]["outside"] == "stale"
    assert rows["trial:plain"]["outside"] is None and rows["trial:plain"]["completion"] == 1.0
    assert rows["trial:told"]["runs"] == 2 and rows["trial:told"]["stop"] == "done"
    assert rows["trial:told"]["ask"]["language_kept"] == 1.0
    assert (report.parent / rows["trial:told"]["trace"]).read_bytes() == \
        (out / "told" / "traces" / f"sql-{TASK}.jsonl").read_bytes()
    assert "Changes outside the agent's calls" in report.read_text()
    assert (report.parent / "report.html").is_file()

    again = tmp_path / "again"  # the same commands give the same trace bytes
    play(again, "told", "sql", rerun=True)
    assert (again / "told" / "traces" / f"sql-{TASK}.jsonl").read_bytes() == \
        (out / "told" / "traces" / f"sql-{TASK}.jsonl").read_bytes()


def test_trial_misuse_is_one_line(tmp_path, capsys):
    T = ["--out", str(tmp_path)]  # noqa: N806
    assert trial.main([*T, "fault", "r", "sql", TASK, "meteor"]) == 2
    assert "no world fault 'meteor'" in capsys.readouterr().err
    assert trial.main([*T, "call", "r", "sql", TASK, "list_files", "{}"]) == 0
    assert trial.main([*T, "plan", "r", "sql", TASK, PLAN]) == 2
    assert "before the trial's first call" in capsys.readouterr().err
    assert trial.main([*T, "fault", "r", "sql", TASK, "outside-change"]) == 2
    assert trial.main([*T, "ask", "sql", TASK]) == 0
    assert "how would you do this task" in capsys.readouterr().out
    assert load(TASKS / TASK).name == TASK
