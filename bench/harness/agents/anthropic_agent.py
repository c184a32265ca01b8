"""An agent behind the Anthropic Messages API, through the official ``anthropic`` SDK.

System messages go to ``system=``; an assistant's tool calls become
``tool_use`` blocks; the tool answers that follow them become one user message
of ``tool_result`` blocks, as the API requires.
"""

from __future__ import annotations

import json
from typing import Any

import anthropic

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


class AnthropicAgent:
    """Messages API with tools."""

    name = "anthropic"

    def __init__(self, model: str, *, base_url: str | None = None, api_key: str | None = None,
                 max_tokens: int = 4096, temperature: float | None = 0.0, timeout: float | None = 120.0,
                 max_retries: int = 2, price: tuple[float, float] | None = None,
                 limiter: Limiter | None = None) -> None:
        base_url, api_key = credentials("Anthropic", "ANTHROPIC", base_url, api_key)
        self.model, self.max_tokens, self.temperature, self.price = model, max_tokens, temperature, price
        self.limiter: Limiter = limiter or Unlimited()
        self.client = anthropic.Anthropic(base_url=base_url, api_key=api_key, timeout=timeout,
                                          max_retries=max_retries)

    def reply(self, episode: Episode, messages: list[Message]) -> Reply:
        system, wire = to_wire(messages)
        options: dict[str, Any] = {}
        if system:
            options["system"] = system
        tools = episode.specs.get("anthropic") or []
        if tools:
            options["tools"] = tools
        if self.temperature is not None:
            # this SDK's messages.create has no temperature argument; the API still reads the field
            options["extra_body"] = {"temperature": self.temperature}
        try:
            with self.limiter.slot(f"anthropic:{self.model}"):
                response = self.client.messages.create(model=self.model, max_tokens=self.max_tokens,
                                                       messages=wire, **options)  # type: ignore[arg-type]
        except anthropic.APIStatusError as err:
            raise AgentError(f"Anthropic API error {err.status_code}: {_message(err)}") from err
        except anthropic.APIConnectionError as err:  # includes timeouts
            raise AgentError(f"Anthropic API unreachable: {err}") from err
        except anthropic.AnthropicError as err:
            raise AgentError(f"Anthropic client error: {err}") from err
        return Reply(message=from_wire(response.content), usage=self._usage(response.usage))

    def _usage(self, usage: Any) -> Usage:
        if usage is None:
            return Usage()
        return priced(usage.input_tokens or 0, usage.output_tokens or 0, self.price)


def to_wire(messages: list[Message]) -> tuple[str, list[dict[str, Any]]]:
    """Neutral messages as (system prompt, Messages API messages)."""
    system: list[str] = []
    wire: list[dict[str, Any]] = []
    for m in messages:
        role = m["role"]
        if role == "system":
            system.append(m.get("content") or "")
        elif role == "user":
            _append(wire, "user", [{"type": "text", "text": m.get("content") or ""}])
        elif role == "assistant":
            blocks: list[dict[str, Any]] = []
            if m.get("content"):
                blocks.append({"type": "text", "text": m["content"]})
            for call in m.get("tool_calls") or []:
                blocks.append({"type": "tool_use", "id": call["id"], "name": call["name"],
                               "input": _input(call.get("arguments"))})
            if not blocks:  # the API rejects empty assistant content
                blocks.append({"type": "text", "text": "(no reply)"})
            _append(wire, "assistant", blocks)
        elif role == "tool":
            _append(wire, "user", [{"type": "tool_result", "tool_use_id": m["id"],
                                    "content": m.get("content") or "", "is_error": not m.get("ok", True)}])
        else:
            raise AgentError(f"cannot send a message with role {role!r}")
    return "\n\n".join(system), wire


def _append(wire: list[dict[str, Any]], role: str, blocks: list[dict[str, Any]]) -> None:
    # the API wants roles to alternate: tool results (and a user note after them) share one user turn
    if wire and wire[-1]["role"] == role:
        wire[-1]["content"].extend(blocks)
    else:
        wire.append({"role": role, "content": blocks})


def _input(arguments: Any) -> dict[str, Any]:
    if isinstance(arguments, dict):
        return arguments
    if isinstance(arguments, str) and arguments.strip():
        try:
            data = json.loads(arguments, strict=False)
        except ValueError:
            data = None
        return data if isinstance(data, dict) else {"_raw": arguments}
    return {}


def from_wire(content: Any) -> Message:
    """Response content blocks as a neutral assistant message (thinking blocks are dropped)."""
    texts: list[str] = []
    calls: list[dict[str, Any]] = []
    for block in content or []:
        kind = getattr(block, "type", None)
        if kind == "text":
            texts.append(block.text)
        elif kind == "tool_use":
            args = block.input if isinstance(block.input, dict) else {"_raw": block.input}
            calls.append({"id": block.id, "name": block.name, "arguments": args})
    return {"role": "assistant", "content": "\n".join(t for t in texts if t), "tool_calls": calls}


def _message(err: anthropic.APIStatusError) -> str:
    return api_message(err.body, err.message)
