"""Suggestions: the rubric, the model's answers checked against the traces, merged and ranked.

Each batch of episodes (labelled E1, E2, ... in the prompt) gets the rubric and answers
``{"suggestions": [{target, change, why, evidence: [{episode, turn}]}]}``. A citation counts only
when its episode is in the batch and the turn exists in that episode's trace; the others are
dropped and listed with the reason, and a suggestion left with no citation is dropped too.

Merging is deterministic, so the same answers give the same ranking: suggestions with the same
target whose changes share at least :data:`SIMILAR` of their content words (Jaccard index) join one
group (single link, in a fixed order); a group keeps the change of its best-supported member, the
others' wording as variants, and the union of their evidence. Groups are ranked by the number of
distinct episodes that support them, then by citations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .episodes import Episode, transcript

TARGETS = ("harness", "prompt", "tools", "diagnostics")
SIMILAR = 0.5

RUBRIC = """You review trajectories of AI agents doing data tasks in a sandbox through tools: they read \
files, write programs (SQL, JavaScript, PRQL, JSONata) or call API tools, run them, read the \
diagnostics, fix them, and deliver an answer file that is scored automatically. Some trajectories may \
instead be coding-agent sessions imported from other tools.

Propose concrete changes that would have helped these agents, to one of four targets:
- harness: the loop around the agent (turn budget, when it stops, how the answer file is scored, what \
it is told after a turn);
- prompt: the system prompt and the task's wording (goal, answer contract);
- tools: the tools' names, descriptions, arguments and answers;
- diagnostics: the error messages, notes, help and suggested fixes a failed run or check reports.

Look for: turns wasted (the same failing call repeated, files read that did not matter, a loop); a \
diagnostic the agent misread or ignored, or one that did not say what to do; a suggested fix that \
was wrong; a tool misused or missing; a goal or answer contract misunderstood; an episode that ran \
out of turns while making progress or stopped too early; a right answer reached slowly.

Rules: each suggestion must be concrete (say what to change, not "improve the messages") and cite \
the episodes and turns that show the need, as {{"episode": "E1", "turn": 3}} with the labels and \
turn numbers below. Cite only what you saw. Fewer, well-supported suggestions beat many vague ones; \
an empty list is a fine answer when nothing would have helped.

Answer with one JSON object and nothing else:
{{"suggestions": [{{"target": "harness|prompt|tools|diagnostics", "change": "the change, one or two \
sentences", "why": "what happened that motivates it", "evidence": [{{"episode": "E1", "turn": 3}}]}}]}}

The transcripts are compact: long texts and tool outputs are cut in the middle (marked "[... N chars \
cut ...]"), and when an episode is very long its middle turns are left out (marked). Turn 0 holds \
the system prompt and the task. Lines in parentheses, such as the completion after a turn, are the \
harness's own scoring: the agent never saw them.

{transcripts}"""


@dataclass
class Citation:
    episode: str  # the trace's id (file stem)
    turn: int


@dataclass
class Suggestion:
    """One suggestion (or a merged group of them)."""

    target: str
    change: str
    why: str
    evidence: list[Citation] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)

    @property
    def episodes(self) -> list[str]:
        return sorted({c.episode for c in self.evidence})

    def to_json(self) -> dict[str, Any]:
        return {"target": self.target, "change": self.change, "why": self.why, "support": len(self.episodes),
                "episodes": self.episodes,
                "evidence": [{"episode": c.episode, "turn": c.turn} for c in self.evidence],
                "variants": self.variants}


def prompt(batch: list[Episode]) -> str:
    """The critic's prompt for one batch of episodes."""
    return RUBRIC.format(transcripts="\n\n".join(transcript(e, f"E{i}") for i, e in enumerate(batch, 1)))


def batches(episodes: list[Episode], size: int) -> list[list[Episode]]:
    """Episodes ``size`` at a time, in order."""
    return [episodes[i: i + size] for i in range(0, len(episodes), size)]


def read(answer: dict[str, Any] | None, text: str, batch: list[Episode]
         ) -> tuple[list[Suggestion], list[dict[str, Any]]]:
    """The suggestions of one answer with their citations checked, and what was rejected and why."""
    rejected: list[dict[str, Any]] = []
    items = answer.get("suggestions") if isinstance(answer, dict) else None
    if not isinstance(items, list):
        return [], [{"kind": "answer", "why": "the answer is not a JSON object with a suggestions list",
                     "change": text[:300]}]
    labels = {f"E{i}": e for i, e in enumerate(batch, 1)}
    by_id = {e.id: e for e in batch}
    kept: list[Suggestion] = []
    for item in items:
        if not isinstance(item, dict) or not str(item.get("change") or "").strip():
            rejected.append({"kind": "suggestion", "why": "not a suggestion with a change",
                             "change": str(item)[:300]})
            continue
        target = str(item.get("target") or "").strip().lower()
        change, why = str(item["change"]).strip(), str(item.get("why") or "").strip()
        if target not in TARGETS:
            why_not = f"target {target!r} is not one of {', '.join(TARGETS)}"
            rejected.append({"kind": "suggestion", "why": why_not, "change": change})
            continue
        cited: list[Citation] = []
        raw = item.get("evidence")
        for c in raw if isinstance(raw, list) else []:
            episode, turn = (c.get("episode"), c.get("turn")) if isinstance(c, dict) else (None, None)
            found = labels.get(str(episode)) or by_id.get(str(episode))
            turn = int(turn) if isinstance(turn, int | float) or (isinstance(turn, str) and turn.isdigit()) \
                else None
            if found is None:
                rejected.append({"kind": "citation", "why": f"episode {episode!r} is not in the batch",
                                 "change": change})
            elif turn is None or turn not in found.turns:
                why_not = f"cited turn {c.get('turn')!r}, which the episode does not have"
                rejected.append({"kind": "citation", "why": why_not, "change": change, "cited": found.id})
            elif all((x.episode, x.turn) != (found.id, turn) for x in cited):
                cited.append(Citation(found.id, turn))
        if not cited:
            rejected.append({"kind": "suggestion", "why": "no valid citation left: the suggestion is dropped",
                             "change": change})
            continue
        kept.append(Suggestion(target, change, why, cited))
    return kept, rejected


_STOP = frozenset(re.findall(r"\w+", """a an the and or of to in on for with by from at as is are be been
was were it its this that these those when then than which who what how should would could can will not no
into out up more less each every any all their they them agent agents model"""))


def words(text: str) -> set[str]:
    """Content words: lowercase, stop words out, a trailing plural s dropped."""
    found = re.findall(r"[a-z0-9_]+", text.lower())
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in found if w not in _STOP}


def merge(found: list[Suggestion]) -> list[Suggestion]:
    """Similar suggestions merged (see the module's docstring), ranked best-supported first."""
    groups: list[list[Suggestion]] = []
    said = {id(s): words(s.change) for s in found}  # each change's words, once

    def near(a: Suggestion, b: Suggestion) -> bool:
        x, y = said[id(a)], said[id(b)]
        return bool(x | y) and len(x & y) / len(x | y) >= SIMILAR

    for s in found:
        home = next((g for g in groups if g[0].target == s.target and any(near(s, m) for m in g)), None)
        if home is None:
            groups.append([s])
        else:
            home.append(s)
    merged = []
    for g in groups:
        best = min(g, key=lambda s: (-len(s.episodes), g.index(s)))
        evidence = sorted({(c.episode, c.turn) for s in g for c in s.evidence})
        variants = sorted({s.change for s in g} - {best.change})
        cited = [Citation(*c) for c in evidence]
        merged.append(Suggestion(best.target, best.change, best.why, cited, variants))
    return sorted(merged, key=lambda s: (-len(s.episodes), -len(s.evidence), s.target, s.change))
