"""An optional LLM judge: a quality score and a failure mode for one episode's trace.

The judge reads the goal and a compact transcript (long texts cut to a few
hundred characters) and answers JSON. Anything but a valid verdict — an API
error, prose, a score out of range — comes back as ``{"error": ...}``, so a
flaky judge never stops a bench run.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any, Literal, get_args

import openai
from pydantic import BaseModel, ConfigDict, Field, ValidationError

FailureMode = Literal["none", "misread-goal", "wrong-logic", "syntax", "schema", "gave-up", "turn-budget",
                      "tool-misuse", "other"]
FAILURE_MODES: list[str] = list(get_args(FailureMode))
CUT = 400  # characters kept of each message, tool call and tool answer

PROMPT = """You judge how an AI agent did a data task in a sandbox, working through tools \
(write a program, run it, read the diagnostics, fix it).

Score the trajectory and answer with one JSON object and nothing else:
{{"quality": 1-5, "failure_mode": "...", "rationale": "one or two sentences"}}

quality: 5 = correct answer reached efficiently; 4 = correct with wasted steps; 3 = partly correct; \
2 = wrong but sensible attempt; 1 = no useful progress.
failure_mode: the main reason the answer is not fully right, one of {modes}; "none" when it is right.
- misread-goal: answered a different question; wrong-logic: right question, wrong computation;
- syntax: could not write a program that parses; schema: wrong tables, columns or types;
- gave-up: stopped early without a right answer; turn-budget: ran out of turns while making progress;
- tool-misuse: called tools wrongly (bad arguments, wrong tool) and that cost the episode.

The final completion score (0..1, from automatic checks of the answer) is {completion}.

GOAL:
{goal}

TRANSCRIPT:
{transcript}"""


class Verdict(BaseModel):
    model_config = ConfigDict(extra="ignore")

    quality: int = Field(ge=1, le=5)
    failure_mode: FailureMode
    rationale: str = Field(max_length=2000)


def judge(trace_events: list[dict[str, Any]], *, model: str, base_url: str | None = None,
          api_key: str | None = None, timeout: float = 120.0, max_retries: int = 2) -> dict[str, Any]:
    """``{"quality", "failure_mode", "rationale"}`` for the trace, or ``{"error": ...}``."""
    base_url = base_url or os.environ.get("OPENAI_BASE_URL") or None
    api_key = api_key or os.environ.get("OPENAI_API_KEY") or ("unused" if base_url else None)
    if api_key is None:
        return {"error": "no API key for the judge: set OPENAI_API_KEY or pass api_key="}
    try:
        client = openai.OpenAI(base_url=base_url, api_key=api_key, timeout=timeout, max_retries=max_retries)
        response = client.chat.completions.create(
            model=model, temperature=0, response_format={"type": "json_object"},
            messages=[{"role": "user", "content": prompt(trace_events)}])
    except openai.APIStatusError as err:
        return {"error": f"judge API error {err.status_code}: {err.message}"}
    except openai.OpenAIError as err:
        return {"error": f"judge API failed: {err}"}
    text = (response.choices[0].message.content or "") if response.choices else ""
    try:
        return Verdict.model_validate(json.loads(_unfenced(text))).model_dump()
    except (ValueError, ValidationError) as err:  # JSONDecodeError is a ValueError
        return {"error": f"judge answered no valid verdict ({_cut(str(err), 300)}): {_cut(text, 300)}"}


def prompt(events: list[dict[str, Any]]) -> str:
    """The judge's prompt for a trace: goal, completion and compact transcript."""
    goal = next((e.get("goal", "") for e in events if e.get("type") == "episode"), "")
    result: dict[str, Any] = next((e for e in reversed(events) if e.get("type") == "result"), {})
    completion = result.get("completion", "unknown")
    return PROMPT.format(modes=", ".join(FAILURE_MODES), completion=completion, goal=goal,
                         transcript="\n".join(transcript(events)) or "(empty)")


def transcript(events: list[dict[str, Any]]) -> list[str]:
    """One short line (or a few) per message, tool call and tool answer; system prompt and goal left out."""
    lines: list[str] = []
    for e in events:
        kind, turn = e.get("type"), e.get("turn", "?")
        if kind == "message":
            if e.get("role") in ("system", "user") and turn == 0:
                continue  # the system prompt and the goal are shown apart
            if e.get("content"):
                lines.append(f"[{turn}] {e.get('role')}: {_cut(str(e['content']))}")
            for call in e.get("tool_calls") or []:
                lines.append(f"[{turn}] call {call.get('name')}({_cut(_text(call.get('arguments')))})")
        elif kind == "tool_call":
            lines.append(f"[{turn}] call {e.get('name')}({_cut(_text(e.get('arguments')))})")
        elif kind == "tool_result":
            status = "ok" if e.get("ok") else "failed"
            lines.append(f"[{turn}] -> {e.get('name', 'tool')} {status}: {_cut(str(e.get('content', '')))}")
        elif kind == "score":
            lines.append(f"[{turn}] (completion so far {e.get('completion')})")
        elif kind == "error":
            lines.append(f"[{turn}] agent error: {_cut(str(e.get('error', '')))}")
    return lines


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _cut(text: str, limit: int = CUT) -> str:
    return text if len(text) <= limit else text[:limit] + f"... [{len(text) - limit} more chars]"


def _unfenced(text: str) -> str:
    # some models wrap JSON in a ```json fence even when asked for a JSON object
    match = re.fullmatch(r"\s*```(?:json)?\s*(.*?)\s*```\s*", text, re.DOTALL)
    return match.group(1) if match else text
