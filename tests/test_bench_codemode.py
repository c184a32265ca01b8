"""The bench's code mode against tool calls: the API world, both arms, with the offline reference
agent and with a scripted model behind the real OpenAI client."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bench.harness.agents.offline import ReferenceAgent, next_calls
from bench.harness.agents.openai_agent import OpenAIAgent
from bench.harness.episode import Arm, run_episode
from bench.harness.fake_api import FakeAPI
from bench.harness.tasks import TOOLCALLS, all_tasks

API_TASKS = [t for t in all_tasks() if t.world.startswith("api:")]
CODEMODE, TOOLS = Arm("js"), Arm(TOOLCALLS, "full", "all", 12, TOOLCALLS)


def test_there_are_api_tasks_with_both_arms() -> None:
    assert len(API_TASKS) >= 3
    assert all(set(t.arms) == {"js", TOOLCALLS} for t in API_TASKS)


@pytest.mark.parametrize("task", API_TASKS, ids=lambda t: t.name)
def test_reference_completes_both_arms_and_code_mode_takes_fewer_calls(task, tmp_path) -> None:
    code = run_episode(task, CODEMODE, ReferenceAgent(), out=tmp_path)
    tools = run_episode(task, TOOLS, ReferenceAgent(), out=tmp_path)
    assert code.completion == tools.completion == 1.0
    assert code.calls == 2 and tools.calls > 10 * code.calls  # one program against a call per lookup
    trace = (tmp_path / tools.trace).read_text().splitlines()
    header = json.loads(trace[0])
    assert "crm_getOrders" in header["tools"] and "run" not in header["tools"]


def _scripted(request: dict[str, Any]) -> dict[str, Any]:
    """A model that plays the references: code mode writes and runs solution.js; tool calls follow
    solution.toolcalls.py, one turn of side-by-side calls at a time, from the results in the request."""
    messages = request["messages"]
    goal = next(m["content"] for m in messages if m["role"] == "user")
    usage = {"input_tokens": 500 + 40 * len(messages), "output_tokens": 60}
    for task in API_TASKS:
        if goal == task.brief(TOOLCALLS):
            batch = next_calls(task.solution(TOOLCALLS), messages)
            if batch is None:
                return {"content": "Done.", "tool_calls": [], "usage": usage}
            return {"content": "", "usage": usage,
                    "tool_calls": [{"name": n, "arguments": a} for n, a in batch]}
        if goal == task.brief("js"):
            if any(m["role"] == "tool" for m in messages):
                return {"content": "Done.", "tool_calls": [], "usage": usage}
            return {"content": "", "usage": usage, "tool_calls": [
                {"name": "write_file", "arguments": {"path": "answer.js", "content": task.solution("js")}},
                {"name": "run", "arguments": {"path": "answer.js"}}]}
    return {"content": "I do not know this task.", "tool_calls": []}


def test_scripted_model_through_the_openai_client_reports_turns_calls_and_tokens(tmp_path) -> None:
    task = API_TASKS[0]
    with FakeAPI(_scripted) as api:
        agent = OpenAIAgent("scripted", base_url=api.base_url, api_key="k", max_retries=0)
        code = run_episode(task, CODEMODE, agent, out=tmp_path, model="scripted")
        tools = run_episode(task, TOOLS, agent, out=tmp_path, model="scripted")
        offered = {t["function"]["name"] for t in api.requests[-1]["tools"]}
    assert code.completion == tools.completion == 1.0
    assert (code.turns, code.calls) == (2, 2)
    assert tools.turns > code.turns and tools.calls > code.calls
    assert tools.input_tokens > code.input_tokens > 0
    api = {"crm_searchCustomers", "crm_getOrders", "crm_getProduct", "crm_getTickets"}
    assert offered == api | {"write_file"}
