"""Ask before doing (``--ask N``): before an episode the agent says, N times, how it would do the task.

Each ask is one plain request to the same agent, without tools: the goal, the world card and a
question asking for one JSON object ``{"language", "steps", "pitfalls"}``. API agents answer it as
they answer any turn (same model, same sampling); offline agents answer through an ``ask`` method
of their own, stating the plan they actually follow. The answers go into the trace as ``ask``
events before turn 1 and are compared with the trajectory afterwards (``stated.py``).
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

from .agents.base import Agent, AgentError, Episode, Message, Reply

ASK_SYSTEM = """You are a data analyst about to work in a small sandboxed world of files, through \
tools (list and read files, write programs, run them, read the diagnostics, fix them). Before you \
start, you are asked how you would do the task. Do not do it yet."""

QUESTION = """Before you start: how would you do this task? Reply with one JSON object and nothing else:
{"language": "the language you would write the answer in",
 "steps": ["the steps you would take, in order, one short sentence each"],
 "pitfalls": ["what you expect could go wrong, one short sentence each"]}"""


def question(goal: str, card: str) -> list[Message]:
    """The messages of one ask: the goal as the episode states it, the world card, the question."""
    return [{"role": "system", "content": ASK_SYSTEM},
            {"role": "user", "content": f"{goal.strip()}\n\nThe world:\n{card.rstrip()}\n\n{QUESTION}"}]


def ask(agent: Agent, episode: Episode, messages: list[Message], n: int) -> Reply:
    """Ask ``agent`` once (the ``n``-th time): its own ``ask`` if it has one, else a reply without tools."""
    own = getattr(agent, "ask", None)
    if own is not None:
        reply: Reply = own(episode, messages, n)
        return reply
    return agent.reply(dataclasses.replace(episode, specs={}), messages)


_FENCE = re.compile(r"```(?:json)?\s*(\{.*\})\s*```", re.S)


def parse(text: str) -> tuple[dict[str, Any] | None, str | None]:
    """The plan in an answer as ``{"language": str, "steps": [str], "pitfalls": [str]}``, or why not.

    The JSON object may be fenced or surrounded by prose (the outermost braces are taken); a
    string where a list belongs becomes a one-item list; other keys are ignored.
    """
    fenced = _FENCE.search(text)
    body = fenced.group(1) if fenced else text[text.find("{"): text.rfind("}") + 1]
    if not body:
        return None, "the answer holds no JSON object"
    try:
        data = json.loads(body, strict=False)
    except ValueError as err:
        return None, f"the answer's JSON does not parse ({err})"
    if not isinstance(data, dict):
        return None, "the answer's JSON is not an object"
    plan: dict[str, Any] = {"language": str(data.get("language") or "").strip()}
    for key in ("steps", "pitfalls"):
        value = data.get(key)
        items = value if isinstance(value, list) else [value] if value else []
        plan[key] = [_text(v) for v in items if _text(v)]
    if not plan["language"] and not plan["steps"]:
        return None, "the answer names no language and no steps"
    return plan, None


def _text(value: Any) -> str:
    if isinstance(value, dict):  # {"step": "...", "why": "..."}: the first string field stands for it
        value = next((v for v in value.values() if isinstance(v, str)), "")
    return str(value).strip() if value is not None else ""


def asks(agent: Agent, episode: Episode, goal: str, card: str, count: int) -> list[dict[str, Any]]:
    """``count`` ask events: ``{"type": "ask", "n", "plan", "text", "usage"}`` (``plan`` None plus
    ``problem`` when the answer holds no plan; ``error`` when the agent failed to answer)."""
    messages = question(goal, card)
    events: list[dict[str, Any]] = []
    for n in range(count):
        event: dict[str, Any] = {"type": "ask", "n": n}
        if n == 0:
            event["question"] = messages[-1]["content"]  # the same for every ask: kept once
        try:
            reply = ask(agent, episode, messages, n)
        except AgentError as err:
            events.append({**event, "plan": None, "error": str(err)})
            continue
        text = str(reply.message.get("content") or "")
        plan, problem = parse(text)
        event.update(plan=plan, text=text, usage=dataclasses.asdict(reply.usage))
        if problem:
            event["problem"] = problem
        events.append(event)
    return events
