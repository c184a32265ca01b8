"""The OpenAI and Anthropic agents and the LLM judge, end to end through the real SDKs against FakeAPI."""

from __future__ import annotations

import json

import pytest

from bench.harness.agents.anthropic_agent import AnthropicAgent
from bench.harness.agents.base import AgentError, Episode
from bench.harness.agents.openai_agent import OpenAIAgent
from bench.harness.fake_api import FakeAPI
from bench.harness.judge import judge
from bench.harness.tasks import TASKS, load

SYSTEM = "You are a data analyst."
QUERY = "SELECT region, SUM(units * unit_price) AS revenue FROM sales GROUP BY region"


@pytest.fixture
def world():
    task = load(TASKS / "sales_revenue_by_region")
    session = task.load_world().session()
    specs = {"openai": session.tools("openai"), "anthropic": session.tools("anthropic")}
    return Episode(task=task, lang="sql", diagnostics="full", specs=specs), session


def start(episode: Episode) -> list[dict]:
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": episode.task.brief("sql")}]


def answer(session, call: dict) -> dict:
    """The neutral tool message for ``call``, as the episode loop builds it."""
    result = session.call_result(call["name"], call["arguments"])
    return {"role": "tool", "id": call["id"], "name": call["name"], "content": result.text, "ok": result.ok,
            "diagnostics": [d.to_json() for d in result.diagnostics]}


WRITE = {"name": "write_file", "arguments": {"path": "answer.sql", "content": QUERY}}


# -- OpenAI -------------------------------------------------------------------------------------------


def test_openai_tool_call_round_trip(world):
    episode, session = world
    script = [{"content": "Writing the query.", "tool_calls": [{"id": "call_A", **WRITE}],
               "usage": {"input_tokens": 1000, "output_tokens": 200}},
              {"content": "Done: revenue by region.", "usage": {"input_tokens": 1500, "output_tokens": 10}}]
    with FakeAPI(script) as api:
        agent = OpenAIAgent("gpt-test", base_url=api.base_url, api_key="k", max_retries=0, seed=7,
                            price=(2.0, 10.0))
        messages = start(episode)
        first = agent.reply(episode, messages)
        assert first.message == {"role": "assistant", "content": "Writing the query.",
                                 "tool_calls": [{"id": "call_A", **WRITE}]}
        assert (first.usage.input_tokens, first.usage.output_tokens) == (1000, 200)
        assert first.usage.cost == pytest.approx((1000 * 2.0 + 200 * 10.0) / 1e6)
        messages.append(first.message)
        tool = answer(session, first.message["tool_calls"][0])
        assert tool["ok"], tool["content"]
        messages.append(tool)
        second = agent.reply(episode, messages)
        assert second.message == {"role": "assistant", "content": "Done: revenue by region.",
                                  "tool_calls": []}

    assert api.paths == ["/v1/chat/completions"] * 2
    request = api.requests[0]
    assert request["model"] == "gpt-test" and request["temperature"] == 0 and request["seed"] == 7
    assert request["tools"] == episode.specs["openai"]
    assert request["messages"][0] == {"role": "system", "content": SYSTEM}
    sent = api.requests[1]["messages"]
    assert [m["role"] for m in sent] == ["system", "user", "assistant", "tool"]
    assert sent[2]["tool_calls"] == [{"id": "call_A", "type": "function", "function": {
        "name": "write_file", "arguments": json.dumps(WRITE["arguments"])}}]
    assert sent[3] == {"role": "tool", "tool_call_id": "call_A", "content": tool["content"]}


def test_openai_reported_cost_wins_over_price(world):
    episode, _ = world
    script = [{"content": "hi", "usage": {"input_tokens": 10, "output_tokens": 2, "cost": 0.0123}}]
    with FakeAPI(script) as api:
        reply = OpenAIAgent("m", base_url=api.base_url, api_key="k", max_retries=0,
                            price=(1.0, 1.0)).reply(episode, start(episode))
        no_price = OpenAIAgent("m", base_url=api.base_url, api_key="k", max_retries=0).reply(
            episode, start(episode))
    assert reply.usage.cost == pytest.approx(0.0123)
    assert no_price.usage.cost is None  # past the script: "done", no cost reported and no price given
    assert no_price.message == {"role": "assistant", "content": "done", "tool_calls": []}


def test_openai_invalid_arguments_reach_the_tool_layer_as_text(world):
    episode, session = world
    script = [{"tool_calls": [{"id": "c1", "name": "run", "arguments": '{"path": answer.sql}'}]}]
    with FakeAPI(script) as api:
        agent = OpenAIAgent("m", base_url=api.base_url, api_key="k", max_retries=0)
        messages = start(episode)
        reply = agent.reply(episode, messages)
        call = reply.message["tool_calls"][0]
        assert call["arguments"] == '{"path": answer.sql}'
        tool = answer(session, call)
        assert not tool["ok"] and "not valid JSON" in tool["content"]
        agent.reply(episode, [*messages, reply.message, tool])
    # the model's own text goes back as it wrote it
    assert api.requests[1]["messages"][2]["tool_calls"][0]["function"]["arguments"] == '{"path": answer.sql}'


# -- Anthropic ----------------------------------------------------------------------------------------


def test_anthropic_tool_call_round_trip(world):
    episode, session = world
    script = [{"content": "Writing the query.", "tool_calls": [{"id": "toolu_A", **WRITE}],
               "usage": {"input_tokens": 1000, "output_tokens": 200}},
              {"content": "Done.", "usage": {"input_tokens": 1500, "output_tokens": 10}}]
    with FakeAPI(script) as api:
        agent = AnthropicAgent("claude-test", base_url=api.url, api_key="k", max_retries=0, price=(3.0, 15.0))
        messages = start(episode)
        first = agent.reply(episode, messages)
        assert first.message == {"role": "assistant", "content": "Writing the query.",
                                 "tool_calls": [{"id": "toolu_A", **WRITE}]}
        assert (first.usage.input_tokens, first.usage.output_tokens) == (1000, 200)
        assert first.usage.cost == pytest.approx((1000 * 3.0 + 200 * 15.0) / 1e6)
        messages.append(first.message)
        tool = answer(session, first.message["tool_calls"][0])
        messages.append(tool)
        second = agent.reply(episode, messages)
        assert second.message == {"role": "assistant", "content": "Done.", "tool_calls": []}

    assert api.paths == ["/v1/messages"] * 2
    request = api.requests[0]
    assert request["model"] == "claude-test" and request["max_tokens"] == 4096 and request["temperature"] == 0
    assert request["system"] == SYSTEM
    assert request["tools"] == episode.specs["anthropic"]
    sent = api.requests[1]["messages"]
    assert [m["role"] for m in sent] == ["user", "assistant", "user"]  # no system message among them
    assert sent[1]["content"] == [{"type": "text", "text": "Writing the query."},
                                  {"type": "tool_use", "id": "toolu_A", "name": "write_file",
                                   "input": WRITE["arguments"]}]
    assert sent[2]["content"] == [{"type": "tool_result", "tool_use_id": "toolu_A",
                                   "content": tool["content"], "is_error": False}]


def test_anthropic_consecutive_tool_results_share_one_user_message(world):
    episode, session = world
    script = [{"tool_calls": [{"id": "t1", **WRITE},
                              {"id": "t2", "name": "run", "arguments": {"path": "nope.sql"}}]}]
    with FakeAPI(script) as api:
        agent = AnthropicAgent("m", base_url=api.url, api_key="k", max_retries=0)
        messages = start(episode)
        reply = agent.reply(episode, messages)
        assert [c["id"] for c in reply.message["tool_calls"]] == ["t1", "t2"]
        results = [answer(session, c) for c in reply.message["tool_calls"]]
        assert [r["ok"] for r in results] == [True, False]
        agent.reply(episode, [*messages, reply.message, *results])
    sent = api.requests[1]["messages"]
    assert [m["role"] for m in sent] == ["user", "assistant", "user"]
    assert sent[1]["content"][0]["type"] == "tool_use"  # no empty text block before the calls
    assert [(b["tool_use_id"], b["is_error"]) for b in sent[2]["content"]] == [("t1", False), ("t2", True)]


# -- errors -------------------------------------------------------------------------------------------


def make(kind: str, api: FakeAPI):
    if kind == "openai":
        return OpenAIAgent("m", base_url=api.base_url, api_key="k", max_retries=0)
    return AnthropicAgent("m", base_url=api.url, api_key="k", max_retries=0)


@pytest.mark.parametrize("kind", ["openai", "anthropic"])
@pytest.mark.parametrize("status", [429, 500])
def test_api_errors_become_agent_errors(world, kind, status):
    episode, _ = world
    with FakeAPI([{"error": status, "message": "slow down"}]) as api:
        agent = make(kind, api)
        with pytest.raises(AgentError, match=f"{status}: slow down"):
            agent.reply(episode, start(episode))
        assert len(api.requests) == 1  # max_retries=0: no second try


@pytest.mark.parametrize("kind", ["openai", "anthropic"])
def test_unreachable_endpoint_is_an_agent_error(world, kind):
    episode, _ = world
    with FakeAPI() as api:
        agent = make(kind, api)
    with pytest.raises(AgentError, match="unreachable"):  # the server is gone
        agent.reply(episode, start(episode))


def test_missing_api_keys(monkeypatch):
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(AgentError, match="OPENAI_API_KEY"):
        OpenAIAgent("m")
    with pytest.raises(AgentError, match="ANTHROPIC_API_KEY"):
        AnthropicAgent("m")
    OpenAIAgent("m", base_url="http://127.0.0.1:9/v1")  # a local endpoint needs no key
    monkeypatch.setenv("OPENAI_API_KEY", "from-env")
    assert OpenAIAgent("m").client.api_key == "from-env"


# -- judge --------------------------------------------------------------------------------------------

TRACE = [
    {"type": "episode", "goal": "Revenue by region, largest first.", "task": "sales_revenue_by_region"},
    {"type": "message", "turn": 0, "role": "system", "content": SYSTEM},
    {"type": "message", "turn": 1, "role": "assistant", "content": "",
     "tool_calls": [{"id": "c1", "name": "write_file",
                     "arguments": {"path": "answer.sql", "content": "x" * 5000}}]},
    {"type": "tool_result", "turn": 1, "id": "c1", "name": "write_file", "content": "wrote answer.sql",
     "ok": True},
    {"type": "score", "turn": 1, "completion": 0.5},
    {"type": "message", "turn": 2, "role": "assistant", "content": "Done.", "tool_calls": []},
    {"type": "result", "completion": 0.5},
]


def test_judge_scores_a_trace():
    verdict = {"quality": 3, "failure_mode": "wrong-logic", "rationale": "Summed units, not revenue."}
    with FakeAPI(lambda request: {"content": json.dumps(verdict)}) as api:
        result = judge(TRACE, model="judge-model", base_url=api.base_url, api_key="k")
    assert result == verdict
    request = api.requests[0]
    assert request["model"] == "judge-model" and request["response_format"] == {"type": "json_object"}
    text = request["messages"][0]["content"]
    assert "Revenue by region, largest first." in text and "wrote answer.sql" in text
    assert "x" * 1000 not in text and "more chars" in text  # long arguments are cut
    assert SYSTEM not in text


@pytest.mark.parametrize("content", ["I think it went fine.",
                                     '{"quality": 9, "failure_mode": "none", "rationale": "ok"}',
                                     '{"quality": 3, "failure_mode": "bad-luck", "rationale": "ok"}'])
def test_judge_invalid_answers_are_errors(content):
    with FakeAPI([{"content": content}]) as api:
        result = judge(TRACE, model="m", base_url=api.base_url, api_key="k")
    assert set(result) == {"error"} and "no valid verdict" in result["error"]


def test_judge_accepts_a_fenced_answer_and_reports_api_errors():
    fenced = '```json\n{"quality": 5, "failure_mode": "none", "rationale": "Right."}\n```'
    with FakeAPI([{"content": fenced}, {"error": 500}]) as api:
        assert judge(TRACE, model="m", base_url=api.base_url, api_key="k")["quality"] == 5
        result = judge(TRACE, model="m", base_url=api.base_url, api_key="k", max_retries=0)
    assert "500" in result["error"]
