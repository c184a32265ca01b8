"""The critic's model: an OpenAI-compatible Chat Completions endpoint, asked for one JSON object.

Set up as the bench's judge is (``bench/harness/judge.py``): ``--base-url`` or ``OPENAI_BASE_URL``,
``OPENAI_API_KEY`` (a local endpoint needs none). An API failure raises ``CritiqueError`` (the run
stops: a critique with holes would rank suggestions wrongly); an answer that is not JSON is
returned as None with the text, and the caller records it.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import Any

import openai

from ..harness.agents.base import api_message
from .episodes import CritiqueError


@dataclass
class Model:
    """One model, its client and what its calls cost so far."""

    name: str
    base_url: str | None = None
    timeout: float = 300.0
    max_retries: int = 2
    calls: int = 0
    usage: dict[str, int] = field(default_factory=lambda: {"input_tokens": 0, "output_tokens": 0})

    def __post_init__(self) -> None:
        base_url = self.base_url or os.environ.get("OPENAI_BASE_URL") or None
        api_key = os.environ.get("OPENAI_API_KEY") or ("unused" if base_url else None)
        if api_key is None:
            raise CritiqueError("no API key for the critic: set OPENAI_API_KEY, or give --base-url for a "
                                "local endpoint that needs none")
        self.client = openai.OpenAI(base_url=base_url, api_key=api_key, timeout=self.timeout,
                                    max_retries=self.max_retries)

    def ask(self, prompt: str) -> tuple[dict[str, Any] | None, str]:
        """The JSON object the model answers ``prompt`` with (None if it is not one), and its text."""
        try:
            response = self.client.chat.completions.create(
                model=self.name, temperature=0, response_format={"type": "json_object"},
                messages=[{"role": "user", "content": prompt}])
        except openai.APIStatusError as err:
            message = api_message(err.body, err.message)
            raise CritiqueError(f"the critic's API answered {err.status_code}: {message}") from None
        except openai.OpenAIError as err:
            raise CritiqueError(f"the critic's API failed: {err}") from None
        self.calls += 1
        if response.usage is not None:
            self.usage["input_tokens"] += response.usage.prompt_tokens or 0
            self.usage["output_tokens"] += response.usage.completion_tokens or 0
        text = (response.choices[0].message.content or "") if response.choices else ""
        fenced = re.fullmatch(r"\s*```(?:json)?\s*(.*?)\s*```\s*", text, re.S)
        try:
            data = json.loads(fenced.group(1) if fenced else text)
        except ValueError:
            return None, text
        return (data if isinstance(data, dict) else None), text

