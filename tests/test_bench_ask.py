"""``--ask N``: the agent states how it would do the task; the row and report compare it with what it did."""

from __future__ import annotations

import json
from typing import Any

from bench.harness.agents.anthropic_agent import AnthropicAgent
from bench.harness.agents.offline import FixitAgent, ReferenceAgent, ReplayAgent
from bench.harness.agents.openai_agent import OpenAIAgent
from bench.harness.ask import parse
from bench.harness.episode import Arm, run_episode
from bench.harness.fake_api import FakeAPI
from bench.harness.report import pitfall_topics, stated_vs_done, write_report
from bench.harness.stated import language_of, plan_kinds, topics
from bench.harness.tasks import all_tasks
from bench.harness.transcript import render

TASKS = {t.name: t for t in all_tasks()}
TASK = TASKS["sales_revenue_by_region"]


def events(path) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_offline_agents_state_the_plan_they_follow(tmp_path):
    ref = run_episode(TASK, Arm("sql"), ReferenceAgent(), out=tmp_path, ask=2)
    trace = events(tmp_path / ref.trace)
    assert [e["type"] for e in trace[:4]] == ["episode", "ask", "ask", "message"]
    assert "question" in trace[1] and "question" not in trace[2]
    assert trace[1]["plan"]["language"] == "sql" and trace[1]["plan"]["pitfalls"] == []
    assert (ref.completion, ref.input_tokens, ref.ask_input_tokens) == (1.0, 0, 0)
    a = ref.ask
    assert a is not None
    assert (a["asked"], a["answered"], a["language_kept"], a["followed"]) == (2, 2, 1.0, 1.0)
    assert a["agreement"] == {"language": 1.0, "steps": 1.0, "pitfalls": 1.0}
    assert (a["planned_inspect_first"], a["inspected_first"], a["ran"]) == (0.0, False, True)

    typo = run_episode(TASK, Arm("sql"), FixitAgent(), out=tmp_path, fault="column-typo", ask=1)
    assert typo.ask is not None and typo.ask["pitfalls_hit"] == 1.0 and typo.ask["anticipated"] == 1.0
    assert typo.ask["problem_topics"] == ["names"] and "no such column" in typo.ask["problems"][0]
    # The wrong aggregate runs fine and gives a wrong answer: the stated pitfall is never met by a diagnostic.
    swap = run_episode(TASK, Arm("sql"), FixitAgent(), out=tmp_path, fault="aggregate-swap", ask=1)
    assert swap.ask is not None and swap.ask["pitfalls_hit"] == 0.0 and swap.ask["problems"] == []
    assert "## ask 1: how would you do it?" in render(tmp_path / swap.trace)

    again = run_episode(TASK, Arm("sql"), FixitAgent(), out=tmp_path / "again", fault="column-typo", ask=1)
    assert (tmp_path / "again" / again.trace).read_bytes() == (tmp_path / typo.trace).read_bytes()
    # Played again from its trace, the episode gives the same answers to the asks.
    replay = ReplayAgent(tmp_path / "traces", "fixit")
    replayed = run_episode(TASK, Arm("sql"), replay, out=tmp_path / "replay", fault="column-typo", ask=1)
    assert replayed.ask == typo.ask


PLANS = [
    {"language": "SQL (SQLite)", "steps": ["Look at the schema of sales.csv", "Write the query to answer.sql",
                                           "Run it and check the output"],
     "pitfalls": ["The column names could be misspelt", "Revenue must be rounded to 2 decimals"]},
    {"language": "JavaScript", "steps": ["Write a program that reads sales.csv", "Run it"],
     "pitfalls": ["Dates stored as text"]},
]


def planner(request: dict[str, Any]) -> dict[str, Any]:
    """A scripted model: the asks (no tools) get plans in turn, the episode a query with a misspelt column."""
    messages = request["messages"]
    if "tools" not in request:
        asked = sum("how would you do this task" in json.dumps(m) for m in messages)
        assert asked == 1, "an ask is one question"
        n = planner.asks  # type: ignore[attr-defined]
        planner.asks += 1  # type: ignore[attr-defined]
        reply = json.dumps(PLANS[n % 2])
        return {"content": f"Here is my plan:\n```json\n{reply}\n```", "usage": {"input_tokens": 300,
                                                                                "output_tokens": 40}}
    if not any(m["role"] == "tool" for m in messages):
        wrong = TASK.solution("sql").replace("unit_price", "unit_prise", 1)
        return {"content": "", "usage": {"input_tokens": 500, "output_tokens": 50}, "tool_calls": [
            {"name": "write_file", "arguments": {"path": "answer.sql", "content": wrong}},
            {"name": "run", "arguments": {"path": "answer.sql"}}]}
    if sum(m["role"] == "tool" for m in messages) == 2:
        return {"content": "", "usage": {"input_tokens": 600, "output_tokens": 50}, "tool_calls": [
            {"name": "write_file", "arguments": {"path": "answer.sql", "content": TASK.solution("sql")}},
            {"name": "run", "arguments": {"path": "answer.sql"}}]}
    return {"content": "Done.", "usage": {"input_tokens": 700, "output_tokens": 5}}


def test_an_api_agent_is_asked_without_tools_and_its_asks_cost_apart(tmp_path):
    planner.asks = 0  # type: ignore[attr-defined]
    with FakeAPI(planner) as api:
        agent = OpenAIAgent("scripted", base_url=api.base_url, api_key="k", max_retries=0, price=(1.0, 2.0))
        row = run_episode(TASK, Arm("sql"), agent, out=tmp_path, model="scripted", ask=2)
        asked = api.requests[:2]
    assert all("tools" not in r and "sales.csv" in r["messages"][1]["content"] for r in asked)
    assert (row.completion, row.turns) == (1.0, 3)
    assert (row.input_tokens, row.output_tokens) == (1800, 105)  # the episode's own
    assert (row.ask_input_tokens, row.ask_output_tokens) == (600, 80)
    assert row.ask_cost == (600 * 1.0 + 80 * 2.0) / 1e6
    a = row.ask
    assert a is not None and a["stated_langs"] == ["sql", "js"] and a["language_kept"] == 0.5
    assert (a["planned_inspect_first"], a["inspected_first"]) == (0.5, False)
    assert a["plans"][0]["kinds"] == ["inspect", "write", "run", "verify"]
    assert a["calls"] == 4 and a["call_kinds"] == ["fix", "run", "write"]
    # The misspelt column was foreseen by the first plan (names), not by the second (dates).
    assert a["problem_topics"] == ["names"] and a["pitfalls_hit"] == 0.25 and a["anticipated"] == 0.5
    assert a["agreement"]["language"] == 0.5 and a["agreement"]["pitfalls"] == 0.0

    (tmp_path / "episodes.jsonl").write_text(json.dumps({**row.__dict__}) + "\n")
    [arm] = stated_vs_done([row.__dict__])
    assert arm["answered"] == 2 and arm["ask_tokens"] == 680 and arm["anticipated"] == 0.5
    assert {"topic": "names", "stated": 1, "hit": 1, "both": 1} in pitfall_topics([row.__dict__])
    first = write_report(tmp_path).read_bytes()
    text = first.decode()
    assert "## Stated plan and trajectory" in text and "| openai/scripted · sql" in text
    assert write_report(tmp_path).read_bytes() == first


def test_the_anthropic_agent_is_asked_without_tools(tmp_path):
    planner.asks = 0  # type: ignore[attr-defined]
    with FakeAPI(planner) as api:
        agent = AnthropicAgent("scripted", base_url=api.url, api_key="k", max_retries=0)
        row = run_episode(TASK, Arm("sql"), agent, out=tmp_path, ask=1)
        first = api.requests[0]
    assert "tools" not in first and "before you start" in first["system"].lower()
    assert row.ask is not None and row.ask["stated_langs"] == ["sql"] and row.ask_input_tokens == 300


def test_a_failed_or_unreadable_ask_is_recorded_and_the_episode_goes_on(tmp_path):
    write = {"name": "write_file", "arguments": {"path": "answer.sql", "content": TASK.solution("sql")}}
    script = [{"error": 500}, {"content": "I would just write some SQL."},
              {"content": "", "tool_calls": [write]}]
    with FakeAPI(script) as api:
        agent = OpenAIAgent("scripted", base_url=api.base_url, api_key="k", max_retries=0)
        row = run_episode(TASK, Arm("sql"), agent, out=tmp_path, ask=2)
    asks = [e for e in events(tmp_path / row.trace) if e["type"] == "ask"]
    assert "500" in asks[0]["error"] and asks[1]["problem"] == "the answer holds no JSON object"
    assert row.completion == 1.0 and row.ask is not None and (row.ask["asked"], row.ask["answered"]) == (2, 0)


def test_plans_are_read_and_matched_by_words():
    said = 'Sure! {"language": "PRQL", "steps": "one step", "pitfalls": [{"risk": "nulls"}]} ok'
    assert parse(said)[0] == {"language": "PRQL", "steps": ["one step"], "pitfalls": ["nulls"]}
    assert parse("[1, 2]")[1] == "the answer holds no JSON object"
    assert parse("{not json}")[1].startswith("the answer's JSON does not parse")
    assert parse('{"pitfalls": ["x"]}')[1] == "the answer names no language and no steps"
    assert [language_of(t) for t in ("SQLite", "Node.js", "tool calls", "jsonata", "Python")] == \
        ["sql", "js", "toolcalls", "jsonata", None]
    assert plan_kinds(["Explore the files", "Draft and run the query", "Fix any errors", "Verify"]) == \
        ["inspect", "write", "run", "fix", "verify"]
    # Quoted names are data, not topics: the table `orders` is no sort order.
    assert topics("no such table: no table named `orders`") == {"names"}
    assert topics("results may be in the wrong order") == {"ordering"}
    assert topics("summary of the run") == set()
