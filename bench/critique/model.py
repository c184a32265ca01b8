"""The critic's model: an OpenAI-compatible Chat Completions endpoint, asked for one JSON object;
or ``files:DIR``, a model that answers through files (a person with a chat window, a coding agent).

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
from pathlib import Path
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
        return parsed(text), text


@dataclass
class FileModel:
    """A critic that answers through files: call n writes ``DIR/prompt-NNN.md`` and reads the answer
    from ``DIR/answer-NNN.json`` when it is there. A run whose answers are not all there yet writes the
    prompts and says so; run again with the same traces once they are answered (the prompts are the
    same each time, so the answers stay matched to them)."""

    folder: Path
    calls: int = 0
    missing: int = 0
    usage: dict[str, int] = field(default_factory=lambda: {"input_tokens": 0, "output_tokens": 0})

    def ask(self, prompt: str) -> tuple[dict[str, Any] | None, str]:
        self.calls += 1
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            asked = self.folder / f"prompt-{self.calls:03}.md"
            answer = self.folder / f"answer-{self.calls:03}.json"
            text = answer.read_text() if answer.is_file() else None
            if text is not None and asked.is_file() and asked.read_text() != prompt:
                raise CritiqueError(f"{asked} is not the prompt {answer.name} answered (the traces or the "
                                    "rubric changed since): remove the answers to write the prompts afresh")
            asked.write_text(prompt)
        except OSError as err:
            raise CritiqueError(f"cannot use {self.folder} for the critic's files: {err.strerror}") from None
        if text is None:
            self.missing += 1
            return None, ""
        return parsed(text), text


def parsed(text: str) -> dict[str, Any] | None:
    """The JSON object of an answer (fenced or bare), or None when it holds none."""
    fenced = re.fullmatch(r"\s*```(?:json)?\s*(.*?)\s*```\s*", text, re.S)
    try:
        data = json.loads(fenced.group(1) if fenced else text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def model_for(name: str, base_url: str | None) -> Model | FileModel:
    """The critic ``--model`` names: ``files:DIR`` answers through files, anything else is an API model."""
    kind, _, folder = name.partition(":")
    if kind == "files":
        if not folder:
            raise CritiqueError("--model files:DIR needs the folder where prompts and answers go")
        return FileModel(Path(folder))
    return Model(name, base_url=base_url)

