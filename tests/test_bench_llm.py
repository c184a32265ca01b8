"""The OpenAI and Anthropic agents end to end: real SDK clients, a scripted model on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from conftest import ROOT

from bench.harness.agents.anthropic_agent import AnthropicAgent
from bench.harness.agents.offline import ReplayAgent
from bench.harness.agents.openai_agent import OpenAIAgent
from bench.harness.episode import Arm, run_episode
from bench.harness.fake_api import FakeAPI
from bench.harness.tasks import EXTENSION, all_tasks

TASKS = {t.name: t for t in all_tasks()}


def analyst(request: dict[str, Any]) -> dict[str, Any]:
    """A scripted model: reads the goal, writes and runs the task's reference, then says it is done.

    It answers from the request alone (either wire format), so parallel episodes can share it.
    """
    if request["model"] == "judge":
        verdict = {"quality": 4, "failure_mode": "none", "rationale": "direct and correct"}
        return {"content": json.dumps(verdict)}
    messages = request["messages"]
    text = json.dumps(messages)
    if '"tool_result"' in text or any(m.get("role") == "tool" for m in messages):
        return {"content": "The answer is written and runs.", "tool_calls": [],
                "usage": {"input_tokens": 900, "output_tokens": 12}}
    goal = next(m["content"] for m in messages if m["role"] == "user")
    goal = goal if isinstance(goal, str) else goal[0]["text"]
    for task in TASKS.values():
        for lang in task.arms:
            if goal == task.brief(lang):
                path = f"answer{EXTENSION[lang]}"
                usage = {"input_tokens": 700, "output_tokens": 90}
                return {"content": "Writing the query.", "usage": usage, "tool_calls": [
                            {"name": "write_file",
                             "arguments": {"path": path, "content": task.solution(lang)}},
                            {"name": "run", "arguments": {"path": path}}]}
    return {"content": "I do not know this task.", "tool_calls": []}


def test_openai_agent_completes_a_task_and_its_trace_replays(tmp_path):
    task = TASKS["sales_revenue_by_region"]
    with FakeAPI(analyst) as api:
        agent = OpenAIAgent("scripted", base_url=api.base_url, api_key="k", max_retries=0, price=(1.0, 2.0))
        row = run_episode(task, Arm("sql"), agent, out=tmp_path / "a", model="scripted")
        first = api.requests[0]
    assert (row.completion, row.turns, row.runs, row.stop) == (1.0, 2, 1, "done")
    assert (row.input_tokens, row.output_tokens) == (1600, 102)
    assert row.cost == (1600 * 1.0 + 102 * 2.0) / 1e6
    assert first["model"] == "scripted" and {t["function"]["name"] for t in first["tools"]} >= {"run"}
    assert first["messages"][0]["role"] == "system"
    events = [json.loads(line) for line in (tmp_path / "a" / row.trace).read_text().splitlines()]
    results = [e for e in events if e["type"] == "tool_result"]
    assert [e["name"] for e in results] == ["write_file", "run"] and results[1]["ok"]
    assert len(results[1]["receipt"]) == 64
    again = run_episode(task, Arm("sql"), ReplayAgent(tmp_path / "a"), out=tmp_path / "b")
    assert (again.completion, again.input_tokens, again.cost) == (1.0, 1600, row.cost)


def test_anthropic_agent_completes_a_task(tmp_path):
    task = TASKS["logs_status_classes"]
    with FakeAPI(analyst) as api:
        agent = AnthropicAgent("scripted", base_url=api.url, api_key="k", max_retries=0)
        row = run_episode(task, Arm("js"), agent, out=tmp_path, model="scripted")
        second = api.requests[1]
    assert (row.completion, row.stop, row.input_tokens) == (1.0, "done", 1600)
    assert "system" in second and second["messages"][0]["role"] == "user"
    [results] = [m for m in second["messages"] if m["role"] == "user" and isinstance(m["content"], list)
                 and m["content"][0].get("type") == "tool_result"]
    assert [b["is_error"] for b in results["content"]] == [False, False]


def test_an_api_error_ends_the_episode_with_its_reason(tmp_path):
    task = TASKS["sales_revenue_by_region"]
    with FakeAPI([{"error": 429}]) as api:
        agent = OpenAIAgent("scripted", base_url=api.base_url, api_key="k", max_retries=0)
        row = run_episode(task, Arm("sql"), agent, out=tmp_path)
    assert row.stop == "error" and "429" in (row.error or "") and row.completion == 0.0


def test_pytest_bench_with_an_openai_compatible_endpoint(tmp_path):
    """`pytest bench/ --agent openai:MODEL --base-url URL`: parallel episodes, repeats, cost, judge."""
    out = tmp_path / "out"
    with FakeAPI(analyst) as api:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "bench/", "--agent", "openai:scripted",
             "--base-url", api.base_url, "--task", "sales_revenue_by_region,logs_status_classes",
             "--arm", "sql,prql", "--repeat", "2",
             "--price", "1,2", "--judge", "judge", "--out", str(out), "-n", "2"],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
            env={**os.environ, "BENCH_PROGRESS": "0", "OPENAI_API_KEY": "k"})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    rows = [json.loads(line) for line in (out / "episodes.jsonl").read_text().splitlines()]
    assert len(rows) == 2 * 2 * 2 and all(r["completion"] == 1.0 for r in rows)
    assert {r["model"] for r in rows} == {"scripted"} and all(r["cost"] > 0 for r in rows)
    assert all(r["judge"]["quality"] == 4 for r in rows)
    last = (out / rows[0]["trace"]).read_text().splitlines()[-1]
    assert json.loads(last)["type"] == "judge"
    report = (out / "report.md").read_text()
    assert "openai/scripted" in report and "pass^k" in report and "quality" in report
