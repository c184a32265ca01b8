"""One interface for every agent: given the conversation so far, the next assistant message.

Messages are provider-neutral dicts; the OpenAI and Anthropic agents translate
them to their wire formats. An assistant message without tool calls ends the
episode.

- ``{"role": "system", "content": str}``
- ``{"role": "user", "content": str}``
- ``{"role": "assistant", "content": str, "tool_calls": [{"id": str, "name": str, "arguments": dict}]}``
- ``{"role": "tool", "id": str, "name": str, "content": str, "ok": bool, "diagnostics": [dict]}``
  (``diagnostics`` are the structured diagnostics of a run or check, as
  ``Diagnostic.to_json()``; only offline agents read them, models see ``content``)
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..tasks import Task

Message = dict[str, Any]


@dataclass
class Usage:
    """What the API reported for one reply; ``cost`` in USD when known."""

    input_tokens: int = 0
    output_tokens: int = 0
    cost: float | None = None


@dataclass
class Reply:
    """The agent's next assistant message and what producing it cost."""

    message: Message
    usage: Usage = field(default_factory=Usage)


@dataclass(frozen=True)
class Episode:
    """What an agent may know about the episode it is in (offline agents use more of it)."""

    task: Task
    lang: str
    diagnostics: str  # "full" or "raw"
    specs: dict[str, list[dict[str, Any]]]  # tool specs by format ("openai", "anthropic"), this arm's set
    seed: int = 0
    repeat: int = 0
    fault: str | None = None  # fixit: the fault kind seeded into the reference
    mode: str = "loop"  # or "oneshot": one reply, whose fenced program is the answer


class Agent(Protocol):
    name: str

    def reply(self, episode: Episode, messages: list[Message]) -> Reply:
        """The next assistant message, given every message so far."""
        ...


class Limiter(Protocol):
    """What an API agent asks before each request: a slot for ``key`` (``openai:MODEL``), held until
    the answer is in. One limiter may serve every worker of a run (``executor_ray.RayLimiter``)."""

    def slot(self, key: str) -> Any:
        """A context manager that waits for a slot and gives it back on exit."""
        ...


class Unlimited:
    """The limiter of a run that sets no limits: every request goes at once."""

    @contextmanager
    def slot(self, key: str) -> Iterator[None]:
        yield


class AgentError(Exception):
    """An agent could not produce a reply (API error, bad configuration); the episode records it."""


def credentials(vendor: str, prefix: str, base_url: str | None,
                api_key: str | None) -> tuple[str | None, str]:
    """The endpoint and key for an API agent: given, or ``{prefix}_BASE_URL`` / ``{prefix}_API_KEY``."""
    base_url = base_url or os.environ.get(f"{prefix}_BASE_URL") or None
    api_key = api_key or os.environ.get(f"{prefix}_API_KEY") or None
    if api_key is None:
        if base_url is None:
            raise AgentError(f"no {vendor} API key: set {prefix}_API_KEY, or point --base-url at a local "
                             "endpoint that needs none")
        api_key = "unused"  # local endpoints ignore the key, but the SDKs insist on one
    return base_url, api_key


def api_message(body: object, fallback: str) -> str:
    """The sentence inside an API error body (``{"error": {"message": ...}}``, both vendors' shape)."""
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
    return fallback


def priced(input_tokens: int, output_tokens: int, price: tuple[float, float] | None) -> Usage:
    """Usage, with its cost from ``price`` (USD per million input, output tokens) when given."""
    usage = Usage(input_tokens=input_tokens, output_tokens=output_tokens)
    if price is not None:
        usage.cost = (input_tokens * price[0] + output_tokens * price[1]) / 1e6
    return usage
