"""Consistency across repeats of one task: the same approach, the same answer?

Episodes are grouped by what a repeat shares (task, arm, agent, model, fault; for imported
sessions, the source and the first prompt) and groups of two or more are compared twice:

- deterministically: distinct final answers (the answer file's last content, whitespace at line
  ends ignored; imported sessions: the last assistant message), distinct completions, and distinct
  tool sequences (tools in call order, a tool repeated at once counted once);
- by the model: given each repeat's tool sequence and final answer, it scores ``same_approach`` and
  ``same_answer`` from 1 (entirely different) to 5 (the same), with a one-sentence note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .episodes import Episode, cut, final_answer, tool_sequence

PROMPT = """Below are {n} repeats of one task by one agent (same task, same settings). Judge how \
consistent they are: did they take the same approach (same kind of program or calls, same steps), \
and did they reach the same answer (same result, even if written differently)?

Answer with one JSON object and nothing else:
{{"same_approach": 1-5, "same_answer": 1-5, "note": "one sentence on what differs, or that nothing does"}}
(1 = entirely different, 5 = the same)

TASK: {task}

{repeats}"""


class Verdict(BaseModel):
    model_config = ConfigDict(extra="ignore")

    same_approach: int = Field(ge=1, le=5)
    same_answer: int = Field(ge=1, le=5)
    note: str = Field(default="", max_length=2000)


@dataclass
class Group:
    """Repeats of one task and what comparing them found."""

    key: str
    episodes: list[Episode]
    facts: dict[str, Any] = field(default_factory=dict)
    judge: dict[str, Any] | None = None


def _normal(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def groups(episodes: list[Episode]) -> list[Group]:
    """Groups of two or more repeats, sorted by key, with their deterministic facts."""
    by_key: dict[str, list[Episode]] = {}
    for e in episodes:
        by_key.setdefault(e.group(), []).append(e)
    out = []
    for key in sorted(by_key):
        members = sorted(by_key[key], key=lambda e: (e.header.get("repeat") or 0, e.id))
        if len(members) < 2:
            continue
        completions = [e.result.get("completion") for e in members]
        out.append(Group(key, members, {
            "repeats": len(members),
            "answers": len({_normal(final_answer(e)) for e in members}),
            "completions": sorted({c for c in completions if isinstance(c, int | float)}),
            "successes": sum(bool(e.result.get("success")) for e in members),
            "tool_sequences": len({tuple(tool_sequence(e)) for e in members}),
        }))
    return out


def prompt(group: Group) -> str:
    """The consistency judge's prompt for one group."""
    first = group.episodes[0].header
    task = first.get("goal") or first.get("task") or "?"
    repeats = []
    for i, e in enumerate(group.episodes, 1):
        result = e.result
        score = f"completion {result['completion']}" if "completion" in result \
            else f"stop {result.get('stop')}"
        tools = " -> ".join(tool_sequence(e)) or "(none)"
        repeats.append(f"=== repeat {i} ({score}) ===\ntools in order: {tools}\n"
                       f"final answer:\n{cut(final_answer(e), 3_000) or '(none)'}")
    return PROMPT.format(n=len(group.episodes), task=cut(str(task), 2_000), repeats="\n\n".join(repeats))


def read(answer: dict[str, Any] | None, text: str) -> dict[str, Any]:
    """The verdict, or ``{"error": ...}`` when the answer is not one."""
    try:
        return Verdict.model_validate(answer).model_dump()
    except ValidationError as err:
        return {"error": f"no valid verdict ({err.error_count()} problems): {text[:200]}"}
