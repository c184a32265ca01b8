"""The bench's metrics (pass@k, pass^k, summaries) and its markdown/PNG report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.harness.metrics import pass_at_k, pass_hat_k, summarize, summarize_arms
from bench.harness.report import ReportError, completion_curve, load_episodes, write_report

ROOT = Path(__file__).resolve().parent.parent
PNGS = ("completion_by_arm.png", "completion_by_turn.png", "codes_before_failure.png", "fixit_by_fault.png")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


# --- pass@k / pass^k --------------------------------------------------------------------------


@pytest.mark.parametrize(("k", "at", "hat"), [
    (1, 0.4, 0.4),   # 1 - 3/5 ; 2/5
    (2, 0.7, 0.1),   # 1 - C(3,2)/C(5,2) = 1 - 3/10 ; C(2,2)/C(5,2) = 1/10
    (5, 1.0, 0.0),   # any 5 of 5 include a success ; C(2,5) = 0
])
def test_pass_k_by_hand(k: int, at: float, hat: float) -> None:
    assert pass_at_k(5, 2, k) == pytest.approx(at)
    assert pass_hat_k(5, 2, k) == pytest.approx(hat)


def test_pass_k_edges() -> None:
    assert pass_at_k(3, 0, 2) == 0.0 and pass_hat_k(3, 0, 2) == 0.0
    assert pass_at_k(3, 3, 2) == 1.0 and pass_hat_k(3, 3, 2) == 1.0
    assert pass_at_k(1, 1, 1) == 1.0 and pass_hat_k(1, 0, 1) == 0.0
    assert pass_at_k(4, 1, 3) == pytest.approx(0.75)  # 1 - C(3,3)/C(4,3)
    assert pass_at_k(2, 1, 3) is None and pass_hat_k(2, 1, 3) is None
    assert pass_at_k(0, 0, 1) is None
    for bad in ((3, 4, 1), (3, -1, 1), (-1, 0, 1), (3, 1, 0)):
        with pytest.raises(ValueError):
            pass_at_k(*bad)
        with pytest.raises(ValueError):
            pass_hat_k(*bad)


# --- synthetic episodes -----------------------------------------------------------------------


def episode(task: str, completion: float, *, agent: str = "reference", model: str | None = None,
            lang: str = "sql", diagnostics: str = "full", tools: str = "all", turn_budget: int = 8,
            repeat: int = 0, by_turn: list[float] | None = None, codes: list[str] | None = None,
            last_codes: list[str] | None = None, fault: str | None = None, judge: dict | None = None,
            cost: float | None = None) -> dict:
    by_turn = [completion] if by_turn is None else by_turn
    return {
        "task": task, "world": "shop", "level": "easy", "agent": agent, "model": model, "lang": lang,
        "diagnostics": diagnostics, "tools": tools, "turn_budget": turn_budget, "repeat": repeat,
        "seed": repeat, "fault": fault, "completion": completion, "success": completion == 1.0,
        "turns": len(by_turn), "runs": 2, "tool_errors": 1 if codes else 0, "codes": codes or [],
        "last_codes": last_codes or [], "completion_by_turn": by_turn, "input_tokens": 100,
        "output_tokens": 10, "cost": cost, "wall_ms": 5.0, "stop": "done", "error": None,
        "trace": f"traces/{task}-{repeat}.jsonl", "judge": judge,
    }


def episodes() -> list[dict]:
    ref = [episode("t1", 1.0, repeat=r) for r in range(3)]
    t2 = [
        (1.0, [0.0, 1.0], ["SQL2005"], []),
        (0.5, [0.5], ["SQL2005", "SQL1001"], ["SQL1001"]),
        (0.0, [0.0, 0.0, 0.0], ["SQL1001", "SQL1001"], ["SQL1001", "SQL1001"]),
    ]
    ref += [episode("t2", c, repeat=r, by_turn=bt, codes=cs, last_codes=lc)
            for r, (c, bt, cs, lc) in enumerate(t2)]
    llm = dict(agent="openai", model="gpt-x", lang="js", diagnostics="raw", tools="core", turn_budget=4)
    ai = [
        episode("t1", 0.5, **llm, codes=["JS1001", "JS2002"], last_codes=["JS2002"], cost=0.01,
                judge={"quality": 2, "failure_mode": "wrong join", "rationale": "joined on name"}),
        episode("t2", 1.0, **llm, cost=0.02, judge={"quality": 5, "failure_mode": "none", "rationale": "ok"}),
        episode("t3", 0.0, **llm, by_turn=[], judge={"error": "judge timed out"}),
    ]
    fix = dict(agent="fixit", fault="typo")
    fixit = [
        episode("t1", 1.0, **fix, diagnostics="full", codes=["SQL2005"]),
        episode("t1", 0.25, **fix, diagnostics="raw", codes=["SQL2005"], last_codes=["SQL2005"]),
        episode("t1", 1.0, **fix, lang="js", diagnostics="raw", codes=["JS1001"]),
    ]
    return ref + ai + fixit


def write_out(tmp: Path, rows: list[dict]) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "episodes.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return tmp


# --- summaries --------------------------------------------------------------------------------


def test_summarize_groups_by_arm_and_task() -> None:
    tasks = summarize(episodes())
    keys = [(t["agent"], t["lang"], t["diagnostics"], t["task"]) for t in tasks]
    assert keys == [
        ("fixit", "js", "raw", "t1"), ("fixit", "sql", "full", "t1"), ("fixit", "sql", "raw", "t1"),
        ("openai", "js", "raw", "t1"), ("openai", "js", "raw", "t2"), ("openai", "js", "raw", "t3"),
        ("reference", "sql", "full", "t1"), ("reference", "sql", "full", "t2"),
    ]
    t2 = tasks[-1]
    assert (t2["n"], t2["successes"], t2["k"]) == (3, 1, 3)
    assert t2["mean_completion"] == pytest.approx(0.5)
    assert t2["pass_at"] == {1: pytest.approx(1 / 3), 3: 1.0}
    assert t2["pass_hat"] == {1: pytest.approx(1 / 3), 3: 0.0}
    assert t2["mean_turns"] == pytest.approx(2.0) and t2["input_tokens"] == 300 and t2["cost"] is None
    single = tasks[3]
    assert single["n"] == 1 and set(single["pass_at"]) == {1} and single["cost"] == pytest.approx(0.01)


def test_summarize_arms_macro_averages_tasks() -> None:
    arms = {a["agent"] + "/" + a["diagnostics"] + "/" + a["lang"]: a for a in summarize_arms(episodes())}
    ref = arms["reference/full/sql"]
    assert (ref["tasks"], ref["episodes"], ref["k"]) == (2, 6, 3)
    assert ref["mean_completion"] == pytest.approx(0.75)
    assert ref["success_rate"] == pytest.approx(2 / 3)
    assert ref["pass_at_k"] == pytest.approx(1.0) and ref["pass_hat_k"] == pytest.approx(0.5)
    ai = arms["openai/raw/js"]
    assert ai["k"] == 1 and ai["pass_at_k"] is None and ai["pass_hat_k"] is None
    assert ai["mean_completion"] == pytest.approx(0.5) and ai["cost"] == pytest.approx(0.03)
    assert summarize([]) == [] and summarize_arms([]) == []


def test_completion_curve_carries_last_value_forward() -> None:
    rows = [{"completion_by_turn": [0.0, 1.0]}, {"completion_by_turn": [0.5]}, {"completion": 0.25}]
    assert completion_curve(rows, 3) == pytest.approx([0.25, 0.5833333, 0.5833333])


# --- the report -------------------------------------------------------------------------------


def test_report_contents_and_pngs(tmp_path: Path) -> None:
    out = write_out(tmp_path / "out", episodes())
    report = write_report(out)
    assert report == out / "report.md"
    text = report.read_text(encoding="utf-8")
    assert "- episodes: 12" in text and "- arms: 5" in text and "- tasks: 3" in text
    assert "- agents: fixit, openai, reference" in text
    # The reference arm: mean completion 0.75, success rate 67%, pass@3 1.00, pass^3 0.50.
    ref_line = next(line for line in text.splitlines() if "reference · sql · full" in line)
    assert "| 0.75 | 67% | 0.67 | 3 | 1.00 | 0.50 |" in ref_line
    assert "$0.0300" in text
    assert "| t2 | shop | easy |" in text and "0.50 (1/3)" in text
    # SQL1001 ended 2 of the 5 failures and was seen in 2 episodes, none of which succeeded;
    # SQL2005 ended 1 failure and was seen in 4 episodes, 2 of which succeeded.
    assert "| SQL1001 | 2 | 40% | 2 | 0/2 (0%) |" in text
    assert "| SQL2005 | 1 | 20% | 4 | 2/4 (50%) |" in text
    assert "| typo | all | 1 | 1.00 | 100% | 2 | 0.62 | 50% |" in text
    assert "| typo | sql | 1 | 1.00 | 100% | 1 | 0.25 | 0% |" in text
    assert "- judged episodes: 2 (judge errors: 1)" in text and "- mean quality: 3.50" in text
    assert "| wrong join | 1 |" in text
    for name in PNGS:
        assert f"]({name})" in text
        data = (out / name).read_bytes()
        assert data.startswith(PNG_MAGIC) and len(data) > 1000
        assert b"Software" not in data


def test_report_is_deterministic(tmp_path: Path) -> None:
    a = write_out(tmp_path / "a", episodes())
    b = write_out(tmp_path / "b", episodes())
    write_report(a)
    write_report(b)
    write_report(b)  # overwriting must not change a byte either
    for name in ("report.md", *PNGS):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_report_without_fixit_codes_or_judge(tmp_path: Path) -> None:
    out = write_out(tmp_path, [episode("t1", 1.0)])
    text = write_report(out).read_text(encoding="utf-8")
    assert "No failed episode recorded a diagnostic code." in text
    assert "Fixit" not in text and "## Judge" not in text
    assert not (out / "fixit_by_fault.png").exists()


def test_report_empty_and_missing_inputs(tmp_path: Path) -> None:
    assert "does not exist" in write_report(tmp_path).read_text(encoding="utf-8")
    (tmp_path / "episodes.jsonl").write_text("\n", encoding="utf-8")
    assert "episodes.jsonl is empty" in write_report(tmp_path).read_text(encoding="utf-8")
    with pytest.raises(ReportError, match="no such directory"):
        write_report(tmp_path / "nope")


def test_malformed_lines_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "episodes.jsonl"
    good = json.dumps(episode("t1", 1.0))
    for bad, why in (("{oops", "malformed JSON"), ("[1]", "expected a JSON object"),
                     ('{"task": "t"}', "numeric 'completion'")):
        path.write_text(f"{good}\n\n{bad}\n", encoding="utf-8")
        with pytest.raises(ReportError, match=f"line 3: .*{why}"):
            load_episodes(path)


# --- the CLI ----------------------------------------------------------------------------------


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bench.report", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_cli_missing_dir_exits_2(tmp_path: Path) -> None:
    proc = cli(str(tmp_path / "missing"))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "no such directory" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_malformed_line_exits_2(tmp_path: Path) -> None:
    good = json.dumps(episode("t1", 1.0))
    (tmp_path / "episodes.jsonl").write_text(f"{good}\nnot json\n", encoding="utf-8")
    proc = cli(str(tmp_path))
    assert proc.returncode == 2 and "line 2" in proc.stderr and "Traceback" not in proc.stderr


def test_cli_writes_report(tmp_path: Path) -> None:
    write_out(tmp_path, episodes())
    proc = cli(str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(tmp_path / "report.md")
    assert (tmp_path / "report.md").is_file()
