"""The bench's instrument: tasks, checks that can fail, faults, reproducible episodes, `pytest bench/`."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest
from conftest import ROOT

from bench.harness.agents.offline import FixitAgent, ReferenceAgent, ReplayAgent, apply_fixes
from bench.harness.episode import Arm, run_episode
from bench.harness.faults import catalog, seed_fault
from bench.harness.plan import plan
from bench.harness.score import Answer, grade
from bench.harness.tasks import TASKS, all_tasks, load

TASK_LIST = all_tasks()


def test_the_bench_has_enough_tasks_and_worlds():
    assert len(TASK_LIST) >= 30
    assert len({t.world for t in TASK_LIST}) >= 6
    assert {t.level for t in TASK_LIST} == {"easy", "medium", "hard"}
    for task in TASK_LIST:
        for lang in task.arms:
            assert task.solution(lang).strip(), (task.name, lang)


def _expected(task):
    data = task.expected()
    return Answer(list(data["columns"]), [list(r) for r in data["rows"]])


def _perturb(value):
    if isinstance(value, bool) or value is None:
        return "perturbed"
    if isinstance(value, int | float):
        return value + 1000 * (1 + abs(value))
    return f"{value}_perturbed"


@pytest.mark.parametrize("task", TASK_LIST, ids=[t.name for t in TASK_LIST])
def test_each_check_can_fail(task):
    """The expected answer scores 1.0; an empty one 0; each check fails on an answer wrong in its way."""
    right = _expected(task)
    assert grade(task, right).completion == 1.0
    assert grade(task, Answer()).completion == 0.0
    assert grade(task, Answer(problem="answer.sql failed")).completion == 0.0
    for check in task.scored_checks():
        wrong = _expected(task)
        if check.kind == "columns":
            wrong.columns = [f"col{i}" for i in range(len(wrong.columns))]
        elif check.kind == "row_count":
            wrong.rows = wrong.rows[:-1] if len(wrong.rows) > 1 else wrong.rows * 2
        elif check.kind == "values":
            wrong.rows[0] = [_perturb(v) for v in wrong.rows[0]]
        elif check.kind == "order":
            assert len(wrong.rows) > 1, f"{task.name}: an ordered answer needs two rows to order"
            wrong.rows = wrong.rows[::-1]
        score = grade(task, wrong)
        assert score.checks[check.kind] < 1.0 and score.completion < 1.0, (check.kind, score)


def test_values_match_within_tolerance_and_by_position():
    task = load(TASKS / "sales_revenue_by_region")
    right = _expected(task)
    close = Answer(["Region", "total"], [[r[0], r[1] + 0.001] for r in right.rows])
    score = grade(task, close)
    assert score.checks["values"] == 1.0 and score.checks["columns"] == 0.5
    text = Answer(right.columns, [[r[0], str(r[1])] for r in right.rows])  # numbers printed as text
    assert grade(task, text).completion == 1.0


def test_a_broken_task_file_names_itself(tmp_path):
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "task.toml").write_text('world = "sales"\ntitle = "x"\n')
    with pytest.raises(ValueError, match=r"t/task.toml"):
        load(tmp_path / "t")


# -- faults ---------------------------------------------------------------------------------------


def test_every_fault_kind_finds_sites_and_is_deterministic():
    found = {kind: 0 for kind, k in catalog().items() if k.stage == "program"}  # world faults: no site
    for task in TASK_LIST:
        world = task.load_world()
        for lang in task.arms:
            source = task.solution(lang)
            for kind in found:
                faulty = seed_fault(kind, source, lang, world, seed=0, task=task.name)
                if faulty is not None:
                    assert faulty != source
                    assert faulty == seed_fault(kind, source, lang, world, seed=0, task=task.name)
                    found[kind] += 1
    assert all(n >= 3 for n in found.values()), found


def test_fixit_applies_only_applicable_fixes():
    task = load(TASKS / "sales_revenue_by_region")
    source = "SELECT regoin FROM sales"
    world = task.load_world()
    diags = world.session().call_result("run", {"code": source, "lang": "sql"}).diagnostics
    assert apply_fixes(source, list(diags), "<code>") == "SELECT region FROM sales"
    unsafe = [d.model_copy(update={"fixes": [f.model_copy(update={"applicable": False}) for f in d.fixes]})
              for d in diags]
    assert apply_fixes(source, unsafe, "<code>") is None


# -- episodes -------------------------------------------------------------------------------------


def _play(out: Path) -> dict[str, bytes]:
    task = load(TASKS / "sales_revenue_by_region")
    for lang in task.arms:
        run_episode(task, Arm(lang), ReferenceAgent(), out=out)
        for mode in ("full", "raw"):
            run_episode(task, Arm(lang, mode), FixitAgent(), out=out, fault="unclosed-bracket", seed=3)
    return {p.name: p.read_bytes() for p in sorted((out / "traces").iterdir())}


def test_the_same_agent_seed_and_task_give_identical_traces(tmp_path):
    first, second = _play(tmp_path / "a"), _play(tmp_path / "b")
    assert first and first == second
    events = [json.loads(line) for line in next(iter(first.values())).decode().splitlines()]
    assert events[0]["type"] == "episode" and events[-1]["type"] == "result"
    assert {"message", "tool_result", "score"} <= {e["type"] for e in events}
    runs = [e for e in events if e["type"] == "tool_result" and e["name"] == "run"]
    assert all(len(e["receipt"]) == 64 for e in runs)


def test_replay_plays_a_trace_back_to_the_same_trace(tmp_path):
    task = load(TASKS / "sales_revenue_by_region")
    first = run_episode(task, Arm("sql"), FixitAgent(), out=tmp_path / "a", fault="column-typo")
    again = run_episode(task, Arm("sql"), ReplayAgent(tmp_path / "a" / "traces"), out=tmp_path / "b",
                        fault="column-typo")
    assert (first.completion, first.turns, first.codes) == (again.completion, again.turns, again.codes)
    assert first.completion == 1.0
    def events(path: Path) -> list[dict]:
        return [json.loads(line) for line in path.read_text().splitlines()][1:]  # after the header

    a, b = events(tmp_path / "a" / first.trace), events(tmp_path / "b" / again.trace)
    # Everything but the agent's name (and the trace's name, which holds it) is the same.
    def same(found: list[dict]) -> list[dict]:
        return [{k: v for k, v in e.items() if k not in ("agent", "trace")} for e in found]

    assert same(a) == same(b)


def test_raw_diagnostics_leave_fixit_nothing_to_apply(tmp_path):
    task = load(TASKS / "sales_revenue_by_region")
    full = run_episode(task, Arm("sql", "full"), FixitAgent(), out=tmp_path, fault="column-typo")
    raw = run_episode(task, Arm("sql", "raw"), FixitAgent(), out=tmp_path, fault="column-typo")
    assert full.success and full.codes == ["SQL2005"]
    assert not raw.success and raw.codes == ["RUN1000"] and raw.completion_by_turn == [0.0, 0.0]


def test_the_core_tool_set_refuses_other_tools(tmp_path):
    task = load(TASKS / "sales_revenue_by_region")

    class Describer:
        name = "describer"

        def reply(self, episode, messages):
            from bench.harness.agents.base import Reply
            if len(messages) == 2:
                return Reply({"role": "assistant", "content": "", "tool_calls": [
                    {"id": "c1", "name": "describe", "arguments": {}}]})
            return Reply({"role": "assistant", "content": "done", "tool_calls": []})

    row = run_episode(task, Arm("sql", tools="core"), Describer(), out=tmp_path)
    assert row.tool_errors == 1 and row.completion == 0.0
    head = json.loads((tmp_path / row.trace).read_text().splitlines()[0])
    assert head["tools"] == ["write_file", "run"]


def test_plan_refuses_bad_options():
    options = {"--agent": "reference", "--arm": "", "--diagnostics": "", "--tools": "all", "--turns": 12,
               "--mode": "loop",
               "--repeat": 1, "--seed": 0, "--task": "", "--base-url": None, "--price": None, "--judge": None,
               "--ask": 0}
    for key, value, words in [("--agent", "gpt", "--agent 'gpt'"), ("--arm", "cobol", "the arms are"),
                              ("--diagnostics", "some", "full, raw"), ("--tools", "many", "tool sets"),
                              ("--turns", 0, "at least 1"), ("--mode", "twice", "loop, oneshot"),
                              ("--task", "nothing-like-this", "matches no task"),
                              ("--price", "cheap", "USD per million"), ("--ask", -1, "--ask -1")]:
        with pytest.raises(ValueError, match=words):
            plan(lambda name, key=key, value=value: value if name == key else options[name])
    cases = plan(lambda name: {**options, "--agent": "reference,fixit", "--task": "sales_revenue"}[name])
    assert {c.agent for c in cases} == {"reference", "fixit"}
    assert {c.arm.diagnostics for c in cases if c.agent == "fixit"} == {"full", "raw"}
    both = plan(lambda name: {**options, "--mode": "loop,oneshot", "--task": "sales_revenue"}[name])
    assert {c.arm.label for c in both} >= {"sql-oneshot", "sql-full-all-t12"}


def test_one_shot_writes_the_replys_program_and_runs_nothing(tmp_path):
    from bench.harness.episode import program_in
    from bench.harness.report import lift

    assert program_in("Here:\n```sql\nSELECT 1\n```\nor\n```\nSELECT 2\n```") == "SELECT 2\n"
    assert program_in("SELECT 3") == "SELECT 3\n"
    task = load(TASKS / "sales_revenue_by_region")
    rows = [asdict(run_episode(task, Arm("sql", mode="oneshot", turns=1), ReferenceAgent(), out=tmp_path)),
            asdict(run_episode(task, Arm("sql"), ReferenceAgent(), out=tmp_path))]
    once = rows[0]
    assert once["success"] and once["calls"] == 0 and once["turns"] == 1 and once["stop"] == "oneshot"
    trace = [json.loads(line) for line in (tmp_path / once["trace"]).read_text().splitlines()]
    assert "The world:\nworld: sales" in trace[2]["content"] and trace[0]["tools"] == []
    assert "Write a SQL query to `answer.sql`" in trace[2]["content"] and "Run it" not in trace[2]["content"]
    assert lift(rows) == [{"arm": "reference", "lang": "sql", "oneshot_episodes": 1, "oneshot_success": 1.0,
                           "loop_episodes": 1, "loop_success": 1.0, "lift": 0.0, "calls_per_success": 2.0,
                           "tokens_per_success": 0.0}]


def test_pytest_bench_runs_episodes_and_writes_the_report(tmp_path):
    """The entry point as a user runs it: pytest bench/ with options, in parallel, then the report."""
    out = tmp_path / "out"
    for where, workers in ((out, "2"), (tmp_path / "again", "0")):
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "bench/", "--task", "sales_revenue_by_region,org_levels",
             "--out", str(where), "-n", workers], cwd=ROOT, capture_output=True, text=True, timeout=300,
            env=_quiet_env())
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    # Another process, another spread over workers: the same traces, byte for byte.
    traces = {p.name: p.read_bytes() for p in (out / "traces").iterdir()}
    assert traces == {p.name: p.read_bytes() for p in (tmp_path / "again" / "traces").iterdir()}
    rows = [json.loads(line) for line in (out / "episodes.jsonl").read_text().splitlines()]
    assert {r["agent"] for r in rows} == {"reference", "fixit"}
    assert all(r["completion"] == 1.0 for r in rows if r["agent"] == "reference")
    report = (out / "report.md").read_text()
    assert "fixit" in report and "raw" in report
    assert (out / "completion_by_arm.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    bad = subprocess.run([sys.executable, "-m", "pytest", "bench/", "--agent", "gpt"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120, env=_quiet_env())
    assert bad.returncode != 0 and "--agent 'gpt'" in bad.stderr + bad.stdout
    assert "Traceback" not in bad.stderr + bad.stdout


def _quiet_env() -> dict[str, str]:
    import os
    return {**os.environ, "BENCH_PROGRESS": "0"}


def test_the_world_generator_reproduces_the_committed_data():
    done = subprocess.run([sys.executable, "bench/worlds/make_worlds.py", "--check"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_trace_reads_as_a_transcript(tmp_path):
    task = load(TASKS / "sales_revenue_by_region")
    row = run_episode(task, Arm("sql"), FixitAgent(), out=tmp_path, fault="column-typo")
    done = subprocess.run([sys.executable, "-m", "bench.report", "--trace", str(tmp_path / row.trace)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert text.startswith("# sales_revenue_by_region (sales): fixit, sql, full diagnostics")
    assert "## turn 1: assistant\n-> write_file(" in text and "<- run (failed)" in text
    assert "error[SQL2005]" in text and "== completion after turn 2: 1.000" in text
    missing = subprocess.run([sys.executable, "-m", "bench.report", "--trace", str(tmp_path / "nope.jsonl")],
                             cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "cannot read trace" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_a_trial_scores_what_an_outside_agent_leaves(tmp_path, capsys):
    from bench.harness import trial

    task = load(TASKS / "sales_revenue_by_region")
    out = tmp_path / "trials"
    arguments = json.dumps({"path": "answer.sql", "content": task.solution("sql")})
    assert "rows)" in trial.call(out, "r1", "sql", task.name, "run", arguments)
    (out / "r1" / "oneshot").mkdir(parents=True)
    (out / "r1" / "oneshot" / f"js-{task.name}.txt").write_text("It fails.\n```js\nconsole.log('[]')\n```\n")
    rows = {(r["mode"], r["arm"]): r for r in trial.results(out)}
    assert rows[("loop", "sql")]["completion"] == 1.0 and rows[("loop", "sql")]["calls"] == 1
    assert rows[("oneshot", "js")]["completion"] < 1.0
    assert trial.main(["prompt", "js", task.name]) == 0
    assert "You cannot run anything" in capsys.readouterr().out
    assert trial.main(["--out", str(out), "call", "r1", "sql", "no_such_task", "describe"]) == 2
