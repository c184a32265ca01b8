"""An agent behind any OpenAI-compatible Chat Completions endpoint (OpenAI, OpenRouter, vLLM, ...).

Tool-call arguments come back as JSON text. When the text parses to a JSON
object the neutral message holds the dict; otherwise it holds the model's raw
text (a ``str``), which ``Session.call`` accepts and answers with its own
"the arguments are not valid JSON" error, so the model sees the same message it
would get from ``worlds serve``.
"""

from __future__ import annotations

import json
from typing import Any

import openai

from .base import (
    AgentError,
    Episode,
    Limiter,
    Message,
    Reply,
    Unlimited,
    Usage,
    api_message,
    credentials,
    priced,
)


class OpenAIAgent:
    """Chat Completions with tools, through the official ``openai`` SDK."""

    name = "openai"

    def __init__(self, model: str, *, base_url: str | None = None, api_key: str | None = None,
                 temperature: float | None = 0.0, max_tokens: int | None = None, seed: int | None = None,
                 timeout: float | None = 120.0, max_retries: int = 2,
                 price: tuple[float, float] | None = None, limiter: Limiter | None = None) -> None:
        base_url, api_key = credentials("OpenAI", "OPENAI", base_url, api_key)
        self.model, self.temperature, self.max_tokens, self.seed = model, temperature, max_tokens, seed
        self.price = price
        self.limiter: Limiter = limiter or Unlimited()
        self.client = openai.OpenAI(base_url=base_url, api_key=api_key, timeout=timeout,
                                    max_retries=max_retries)

    def reply(self, episode: Episode, messages: list[Message]) -> Reply:
        options: dict[str, Any] = {}
        # None leaves a setting to the endpoint: reasoning models reject temperature and max_tokens
        if self.temperature is not None:
            options["temperature"] = self.temperature
        if self.max_tokens is not None:
            options["max_tokens"] = self.max_tokens
        if self.seed is not None:
            options["seed"] = self.seed
        tools = episode.specs.get("openai") or []
        if tools:
            options["tools"] = tools
        try:
            with self.limiter.slot(f"openai:{self.model}"):
                response = self.client.chat.completions.create(model=self.model, messages=to_wire(messages),  # type: ignore[arg-type]
                                                               **options)
        except openai.APIStatusError as err:
            raise AgentError(f"OpenAI API error {err.status_code}: {_message(err)}") from err
        except openai.APIConnectionError as err:  # includes timeouts
            raise AgentError(f"OpenAI API unreachable: {err}") from err
        except openai.OpenAIError as err:
            raise AgentError(f"OpenAI client error: {err}") from err
        if not response.choices:
            raise AgentError("OpenAI API answered with no choices")
        return Reply(message=from_wire(response.choices[0].message), usage=self._usage(response.usage))

    def _usage(self, usage: Any) -> Usage:
        if usage is None:
            return Usage()
        result = priced(usage.prompt_tokens or 0, usage.completion_tokens or 0, self.price)
        reported = getattr(usage, "cost", None)  # OpenRouter adds it; the SDK keeps unknown fields
        if isinstance(reported, int | float):
            result.cost = float(reported)
        return result


def to_wire(messages: list[Message]) -> list[dict[str, Any]]:
    """Neutral messages as Chat Completions messages."""
    wire: list[dict[str, Any]] = []
    for m in messages:
        role = m["role"]
        if role in ("system", "user"):
            wire.append({"role": role, "content": m.get("content") or ""})
        elif role == "assistant":
            calls = m.get("tool_calls") or []
            # null content is only valid beside tool calls
            content = m.get("content") or (None if calls else "")
            out: dict[str, Any] = {"role": "assistant", "content": content}
            if calls:
                out["tool_calls"] = [{"id": c["id"], "type": "function",
                                      "function": {"name": c["name"], "arguments": _arguments_text(c)}}
                                     for c in calls]
            wire.append(out)
        elif role == "tool":
            wire.append({"role": "tool", "tool_call_id": m["id"], "content": m.get("content") or ""})
        else:
            raise AgentError(f"cannot send a message with role {role!r}")
    return wire


def from_wire(message: Any) -> Message:
    """A Chat Completions choice message as a neutral assistant message."""
    calls = []
    for call in message.tool_calls or []:
        function = getattr(call, "function", None)
        if function is None:  # custom (non-function) tool calls: none of our tools are custom
            continue
        calls.append({"id": call.id, "name": function.name, "arguments": parse_arguments(function.arguments)})
    return {"role": "assistant", "content": message.content or "", "tool_calls": calls}


def parse_arguments(text: str | None) -> dict[str, Any] | str:
    """The arguments as a dict when they are a JSON object, else the raw text for the tool layer."""
    if text is None or not text.strip():
        return {}
    try:
        data = json.loads(text, strict=False)
    except ValueError:
        return text
    return data if isinstance(data, dict) else text


def _arguments_text(call: dict[str, Any]) -> str:
    args = call.get("arguments")
    if isinstance(args, str):
        return args  # the model's own (invalid) text, sent back as it wrote it
    return json.dumps(args if args is not None else {}, ensure_ascii=False)


def _message(err: openai.APIStatusError) -> str:
    return api_message(err.body, err.message)
