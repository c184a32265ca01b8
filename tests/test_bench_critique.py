"""``python -m bench.critique``: a scripted critic (a real HTTP server, the OpenAI SDK) reads real traces."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from bench.critique.__main__ import main
from bench.critique.suggest import Citation, Suggestion, merge
from bench.harness.agents.offline import FixitAgent, ReferenceAgent
from bench.harness.episode import Arm, run_episode
from bench.harness.fake_api import FakeAPI
from bench.harness.tasks import all_tasks
from bench.traces.__main__ import main as traces_main

TASKS = {t.name: t for t in all_tasks()}
WORDING = ["Say in the system prompt that the answer file is scored as it stands when the agent stops.",
           "Say in the system prompt that the answer file is scored as it stands when the agent stops, "
           "and that it must run."]


def critic(request: dict[str, Any]) -> dict[str, Any]:
    """Answers by what the prompt holds: verdicts for repeats, else suggestions citing what it saw."""
    text = request["messages"][0]["content"]
    if "repeats of one task" in text:
        answers = re.findall(r"final answer:\n(.*?)(?:\n=== repeat|\Z)", text, re.S)
        same = 5 if len({a.strip() for a in answers}) == 1 else 2
        return {"content": json.dumps({"same_approach": 5, "same_answer": same, "note": "scripted"})}
    suggestions = []
    for label, body in re.findall(r"=== episode (E\d+) ===\n(.*?)(?=\n=== episode |\Z)", text, re.S):
        turns = [int(t) for t in re.findall(r"\[turn (\d+)\]", body)]
        failed = [int(t) for t in re.findall(r"\[turn (\d+)\]\n(?:(?!\[turn).)*?-> run failed", body, re.S)]
        cited = [{"episode": label, "turn": max(turns)}, {"episode": label, "turn": 99}]
        suggestions.append({"target": "prompt", "change": WORDING["agent: fixit" in body],
                            "why": "it stopped", "evidence": cited})
        if failed:
            suggestions.append({"target": "diagnostics", "why": "the run failed",
                                "change": f"Put the fix first in the error of {label}.",
                                "evidence": [{"episode": label, "turn": failed[0]}]})
    suggestions += [{"target": "tools", "change": "Add a tool that does everything.", "why": "lazy",
                     "evidence": [{"episode": "E77", "turn": 1}]},
                    {"target": "ui", "change": "Make it blue.", "evidence": [{"episode": "E1", "turn": 1}]}]
    return {"content": json.dumps({"suggestions": suggestions})}


@pytest.fixture(scope="module")
def bench_out(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """A small real bench run: two tasks, the reference twice each, fixit with a typo twice."""
    out = tmp_path_factory.mktemp("bench")
    for name in ("sales_revenue_by_region", "logs_status_classes"):
        for repeat in (0, 1):
            run_episode(TASKS[name], Arm("sql"), ReferenceAgent(), out=out, repeat=repeat)
            run_episode(TASKS[name], Arm("sql"), FixitAgent(), out=out, repeat=repeat, fault="table-typo")
    (out / "episodes.jsonl").write_text('{"task": "x", "completion": 1}\n')  # rows, not a trace: skipped
    return out


def test_a_critique_of_a_bench_run(bench_out, tmp_path, capsys):
    with FakeAPI(critic) as api:
        assert main([str(bench_out), "--model", "critic", "--base-url", api.base_url,
                     "--out", str(tmp_path / "c" / "critique.md")]) == 0
        assert main([str(bench_out / "traces"), "--model", "critic", "--base-url", api.base_url,
                     "--out", str(tmp_path / "again.md")]) == 0
        asked = len(api.requests)
    data = json.loads((tmp_path / "c" / "critique.json").read_text())
    assert data["episodes"] == 8 and data["batches"] == 8 and data["imported"] == 0
    assert asked == 2 * (8 + 4)  # a call per episode and per group of repeats, twice
    top = data["suggestions"][0]
    # Two wordings of one change, from every episode, merged: the union of the evidence, ranked first.
    assert top["target"] == "prompt" and top["support"] == 8 and len(top["variants"]) == 1
    # One episode per call: each is E1 to the critic, so the four fixit episodes' suggestion is one.
    [fixes] = [s for s in data["suggestions"] if s["target"] == "diagnostics"]
    assert fixes["support"] == 4 and {c["turn"] for c in fixes["evidence"]} == {1}
    assert all("fixit" in e for e in fixes["episodes"])
    whys = [r["why"] for r in data["rejected"]]
    assert sum("cited turn 99, which the episode does not have" in w for w in whys) == 8
    assert sum("'E77' is not in the batch" in w for w in whys) == 8
    assert sum("'ui' is not one of" in w for w in whys) == 8
    assert not any(s["target"] == "tools" for s in data["suggestions"])
    # Every citation kept names a turn that is in its trace, on the line the link points to.
    md = (tmp_path / "c" / "critique.md").read_text()
    for path, line in re.findall(r"\]\((\S+?\.jsonl)#L(\d+)\)", md):
        event = json.loads((tmp_path / "c" / path).read_text().splitlines()[int(line) - 1])
        assert isinstance(event["turn"], int)
    assert "### 1. [prompt]" in md and "Supported by 8 episodes" in md
    groups = {g["group"]: g for g in data["consistency"]}
    assert len(groups) == 4 and all(g["repeats"] == 2 and g["answers"] == 1 for g in groups.values())
    verdict = {"same_approach": 5, "same_answer": 5, "note": "scripted"}
    assert all(g["judge"] == verdict for g in groups.values())
    assert "| sales_revenue_by_region · sql-full-all-t12 · reference | 2 | 1 | 1.0 | 2 | 1 | 5 | 5 |" in md
    # The same traces and answers give the same bytes (written from another folder: only the links differ).
    again = json.loads((tmp_path / "again.json").read_text())
    del again["traces"], data["traces"]
    assert again == data


def test_the_same_run_gives_the_same_bytes(bench_out, tmp_path):
    with FakeAPI(critic) as api:
        for name in ("a", "b"):
            assert main([str(bench_out / "traces"), "--model", "critic", "--base-url", api.base_url,
                         "--batch", "3", "--out", str(tmp_path / name / "critique.md")]) == 0
    for ext in ("md", "json"):
        first, second = (tmp_path / name / f"critique.{ext}" for name in ("a", "b"))
        assert first.read_bytes() == second.read_bytes()
    data = json.loads((tmp_path / "a" / "critique.json").read_text())
    assert data["batches"] == 3 and data["suggestions"][0]["support"] == 8


def test_a_critique_of_imported_sessions(tmp_path, capsys):
    traces = tmp_path / "imported"
    assert traces_main(["import", str(ROOT / "tests" / "fixtures" / "sessions"), "--out", str(traces)]) == 0
    with FakeAPI(critic) as api:
        assert main([str(traces), "--model", "critic", "--base-url", api.base_url, "--no-consistency"]) == 0
        prompts = [r["messages"][0]["content"] for r in api.requests]
    data = json.loads((traces / "critique.json").read_text())
    assert data["episodes"] == data["imported"] == 11 and data["suggestions"][0]["support"] == 11
    assert all("imported" in p and "[turn 1]" in p for p in prompts)
    # The huge output in the fixtures reaches the critic cut, and says so.
    assert any("chars cut ..." in p for p in prompts) and max(map(len, prompts)) < 40_000


def test_merging_is_by_target_and_shared_words():
    def s(target: str, change: str, *cited: tuple[str, int]) -> Suggestion:
        return Suggestion(target, change, "", [Citation(e, t) for e, t in cited])

    merged = merge([s("tools", "Describe the run tool's limits", ("a", 1)),
                    s("tools", "describe the limits of the run tool", ("b", 2), ("a", 1)),
                    s("prompt", "Describe the run tool's limits", ("c", 1)),
                    s("tools", "Rename read_file", ("c", 2), ("d", 1), ("e", 1))])
    assert [(m.target, len(m.episodes)) for m in merged] == [("tools", 3), ("tools", 2), ("prompt", 1)]
    assert merged[1].change == "describe the limits of the run tool" and merged[1].variants == \
        ["Describe the run tool's limits"]
    assert [(c.episode, c.turn) for c in merged[1].evidence] == [("a", 1), ("b", 2)]


def test_bad_input_is_one_line_and_status_2(bench_out, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "x.jsonl").write_text("not json\n")
    cases = [([str(tmp_path / "missing"), "--model", "m"], "no such file or folder"),
             ([str(tmp_path / "empty"), "--model", "m"], "no traces under"),
             ([str(bench_out), "--model", "m"], "no API key for the critic"),
             ([str(bench_out), "--model", "m", "--batch", "0"], "--batch must be at least 1")]
    with FakeAPI([{"error": 401, "message": "bad key"}]) as api:  # 401: the SDK does not retry it
        cases.append(([str(bench_out), "--model", "m", "--base-url", api.base_url], "answered 401: bad key"))
        for argv, words in cases:
            capsys.readouterr()
            assert main(argv) == 2
            err = capsys.readouterr().err.strip().splitlines()
            assert len(err) == 1 and err[0].startswith("bench.critique: error:") and words in err[0], err
    with FakeAPI([{"content": "I think it went fine."}] * 20) as api:  # prose, not JSON: recorded, not fatal
        assert main([str(bench_out), "--model", "m", "--base-url", api.base_url, "--out",
                     str(tmp_path / "prose.md"), "--no-consistency"]) == 0
    data = json.loads((tmp_path / "prose.json").read_text())
    assert data["suggestions"] == [] and len(data["rejected"]) == 8
    assert data["rejected"][0]["kind"] == "answer"


def test_a_critique_answered_through_files(bench_out, tmp_path, capsys):
    """--model files:DIR: the first run writes the prompts and says what is missing; answered, it runs."""
    folder = tmp_path / "by-hand"
    args = [str(bench_out), "--model", f"files:{folder}", "--out", str(tmp_path / "critique.md")]
    assert main(args) == 2
    assert "have no answer yet" in capsys.readouterr().err
    prompts = sorted(folder.glob("prompt-*.md"))
    assert prompts and not (tmp_path / "critique.md").exists()
    for prompt in prompts:  # the scripted critic answers each file as it would the API
        answer = critic({"messages": [{"content": prompt.read_text()}]})["content"]
        (folder / prompt.name.replace("prompt-", "answer-").replace(".md", ".json")).write_text(answer)
    with FakeAPI(critic) as api:
        assert main([str(bench_out), "--model", "critic", "--base-url", api.base_url,
                     "--out", str(tmp_path / "api" / "critique.md")]) == 0
    assert main(args) == 0
    first = folder / "prompt-001.md"
    first.write_text(first.read_text() + "an older rubric")  # answered under another prompt: refused
    assert main(args) == 2 and "is not the prompt answer-001.json answered" in capsys.readouterr().err
    by_hand = json.loads((tmp_path / "critique.json").read_text())
    by_api = json.loads((tmp_path / "api" / "critique.json").read_text())
    assert by_hand["suggestions"] == by_api["suggestions"] and by_hand["suggestions"]
