"""``critique.md`` and ``critique.json``: ranked suggestions with their citations, consistency, what was
dropped. Both depend only on the traces and the model's answers (sorted, no timestamps), so the same
answers give the same bytes. Citations link to the trace's line (``trace.jsonl#L12``)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .consistency import Group
from .episodes import Episode
from .suggest import Suggestion


@dataclass
class Critique:
    model: str
    episodes: list[Episode]
    batches: int
    calls: int
    usage: dict[str, int]
    found: int  # suggestions with at least one valid citation, before merging
    suggestions: list[Suggestion]
    rejected: list[dict[str, Any]]
    groups: list[Group]
    problems: list[str] = field(default_factory=list)


def _rel(e: Episode, base: Path) -> str:
    return Path(os.path.relpath(e.path.resolve(), base.resolve())).as_posix()


def _link(e: Episode, turn: int, base: Path) -> str:
    return f"[{e.id} turn {turn}]({_rel(e, base)}#L{e.lines.get(turn, 1)})"


def to_json(c: Critique, base: Path) -> dict[str, Any]:
    return {
        "model": c.model, "episodes": len(c.episodes), "imported": sum(e.imported for e in c.episodes),
        "batches": c.batches, "calls": c.calls, "usage": c.usage, "found": c.found,
        "suggestions": [{"rank": i, **s.to_json()} for i, s in enumerate(c.suggestions, 1)],
        "rejected": c.rejected,
        "consistency": [{"group": g.key, "episodes": [e.id for e in g.episodes], **g.facts, "judge": g.judge}
                        for g in c.groups],
        "traces": {e.id: _rel(e, base) for e in c.episodes},
        "problems": c.problems,
    }


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def to_markdown(c: Critique, base: Path) -> str:
    by_id = {e.id: e for e in c.episodes}
    dropped = {kind: sum(r["kind"] == kind for r in c.rejected)
               for kind in ("citation", "suggestion", "answer")}
    lines = ["# Critique", "",
             f"- critic: {c.model}; {c.calls} calls, {c.usage['input_tokens']:,} input and "
             f"{c.usage['output_tokens']:,} output tokens",
             f"- episodes: {len(c.episodes)} ({sum(e.imported for e in c.episodes)} imported) in {c.batches} "
             "batches",
             f"- suggestions: {c.found} with valid citations, merged into {len(c.suggestions)}; dropped: "
             f"{dropped['citation']} citations (episode or turn not in the traces), {dropped['suggestion']} "
             f"suggestions (no valid citation, or malformed), {dropped['answer']} answers that were not JSON",
             "",
             "Suggestions of one target whose changes share half their content words are merged; the rank is "
             "the number of distinct episodes that support a suggestion. Transcripts were cut for the critic "
             "(see `bench/critique/episodes.py`).", "",
             "## Suggestions", ""]
    if not c.suggestions:
        lines += ["No suggestion with a valid citation.", ""]
    for i, s in enumerate(c.suggestions, 1):
        links = ", ".join(_link(by_id[x.episode], x.turn, base) for x in s.evidence)
        lines += [f"### {i}. [{s.target}] {s.change}", "",
                  f"Supported by {len(s.episodes)} episode{'s' if len(s.episodes) != 1 else ''}. {s.why}", "",
                  f"Evidence: {links}", ""]
        if s.variants:
            lines += ["Also proposed as:", "", *[f"- {v}" for v in s.variants], ""]
    lines += ["## Consistency across repeats", ""]
    if not c.groups:
        lines += ["No task was repeated: nothing to compare.", ""]
    else:
        lines += ["Deterministic: distinct final answers, completions and tool sequences among the repeats. "
                  "Judge: same approach and same answer, 1 (different) to 5 (the same).", "",
                  "| repeats of | n | distinct answers | completions | successes | distinct tool sequences | "
                  "judge: same approach | judge: same answer | note |", "|---" * 9 + "|"]
        for g in c.groups:
            f, j = g.facts, g.judge or {}
            note = j.get("note") if "error" not in j else f"(judge: {j['error']})"
            lines.append("| " + " | ".join(_cell(v) for v in (
                g.key, f["repeats"], f["answers"], ", ".join(map(str, f["completions"])) or "–",
                f["successes"], f["tool_sequences"], j.get("same_approach", "–"), j.get("same_answer", "–"),
                note or "")) + " |")
        lines.append("")
    if c.rejected:
        same: dict[tuple[str, str], int] = {}
        for r in c.rejected:
            same[(r["why"], r["change"])] = same.get((r["why"], r["change"]), 0) + 1
        lines += ["## Dropped", "", "With the calls each came from; critique.json names the episodes.", "",
                  "| why | suggestion | calls |", "|---|---|---|"]
        lines += [f"| {_cell(why)} | {_cell(change)} | {n} |"
                  for (why, change), n in sorted(same.items(), key=lambda kv: (-kv[1], kv[0]))]
        lines.append("")
    if c.problems:
        lines += ["## Lines not read", "", *[f"- {p}" for p in c.problems], ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def write(c: Critique, out: Path) -> tuple[Path, Path]:
    """Write ``out`` (markdown) and the JSON beside it; their paths."""
    out.parent.mkdir(parents=True, exist_ok=True)
    data = out.with_suffix(".json")
    out.write_text(to_markdown(c, out.parent), encoding="utf-8")
    data.write_text(json.dumps(to_json(c, out.parent), indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return out, data
