"""The bench report as one page: ``OUT/report.html``, to open in a browser with no network.

The page holds report.md's sections (the same text, tables and charts, the PNGs as data: URIs),
then every episode with filters by task, arm, outcome and marks, and its transcript. Transcripts are
embedded as JSON, one inert ``<script type="application/json">`` per episode, and turned into DOM
by a small hand-written script only when opened, with ``textContent``: nothing an agent wrote is
ever parsed as HTML. A Content-Security-Policy allows only the page's own script and style (by
hash) and data: images, so even a slip in escaping could neither run code nor reach the network.
The output is deterministic: the same episodes, traces and charts give the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .metrics import Row, arm_label, arm_of, arm_sort_key, group_by_arm, succeeded

#: Characters of one text (a message, a tool's output, an argument) kept whole; longer ones keep
#: their head and tail around a marker saying how much was cut.
KEEP = 6000
_HEAD = 4000
OUTCOMES = ("success", "partial", "failed", "error")
#: Transcripts are compressed in packs of at most this many episodes and characters of JSON; the
#: page inflates one pack when one of its episodes is opened.
PACK_EPISODES = 50
PACK_CHARS = 2_000_000


# --- episodes -------------------------------------------------------------------------------


def outcome(row: Row) -> str:
    """success (the task's checks all pass), partial (some completion), failed, or error
    (the agent or its API failed, whatever the answer file scored)."""
    if row.get("stop") == "error" or row.get("error"):
        return "error"
    if succeeded(row):
        return "success"
    return "partial" if float(row.get("completion") or 0.0) > 0 else "failed"


def cut(text: str) -> tuple[str, int]:
    """``text`` with its middle cut when longer than KEEP; also the number of characters cut."""
    if len(text) <= KEEP:
        return text, 0
    gone = len(text) - KEEP
    return f"{text[:_HEAD]}\n[… {gone:,} characters cut …]\n{text[-(KEEP - _HEAD):]}", gone


def _cut_all(value: Any, counter: list[int]) -> Any:
    if isinstance(value, str):
        text, gone = cut(value)
        counter[0] += gone
        return text
    if isinstance(value, list):
        return [_cut_all(v, counter) for v in value]
    if isinstance(value, dict):
        return {str(k): _cut_all(v, counter) for k, v in value.items()}
    return value


def load_trace(out: Path, row: Row) -> dict[str, Any]:
    """The episode's trace events (texts cut), or a note saying why there are none.

    A trace is read only from inside ``out``; an unreadable line becomes an ``unreadable`` event.
    """
    name = row.get("trace")
    if not isinstance(name, str) or not name:
        return {"events": [], "note": "this episode names no trace"}
    try:
        path = (out / name).resolve()
        if not path.is_relative_to(out.resolve()):
            return {"events": [], "note": f"trace {name} is outside the report's directory, so not shown"}
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return {"events": [], "note": f"trace {name} not found"}
    except (OSError, UnicodeDecodeError, ValueError) as e:  # ValueError: a NUL in the name
        return {"events": [], "note": f"trace {name} cannot be read ({e})"}
    events: list[Any] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except json.JSONDecodeError as e:
            event = {"type": "unreadable", "line": number, "why": e.msg}
        events.append(event if isinstance(event, dict) else {"type": "unreadable", "line": number,
                                                             "why": "not a JSON object"})
    for e in events:  # the header's goal is the user message's text; shown once
        if e.get("type") == "episode" and "goal" in e:
            del e["goal"]
    counter = [0]
    events = _cut_all(events, counter)
    return {"events": events, "cut": counter[0]}


def _count(events: Iterable[dict[str, Any]], kind: str) -> int:
    return sum(e.get("type") == kind for e in events)


def _episode_key(row: Row) -> tuple[Any, ...]:
    return (str(row.get("task")), arm_sort_key(arm_of(row)), str(row.get("fault")), str(row.get("repeat")),
            str(row.get("trace")))


# --- markdown -> html -----------------------------------------------------------------------

_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)$")
_CELL = re.compile(r"(?<!\\)\|")


def _data_uri(path: Path) -> str | None:
    if path.suffix != ".png" or not path.is_file():
        return None
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def markdown_html(markdown: str, out: Path) -> tuple[str, list[tuple[str, str]]]:
    """report.md's markdown (headings, lists, tables, images, paragraphs) as HTML, and the
    (id, title) of each ``##`` section; images become data: URIs of the PNGs in ``out``."""
    parts: list[str] = []
    sections: list[tuple[str, str]] = []
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("|"):
            block = []
            while i < len(lines) and lines[i].startswith("|"):
                block.append(lines[i])
                i += 1
            parts.append(_table_html(block))
            continue
        if line.startswith("- "):
            items = []
            while i < len(lines) and lines[i].startswith("- "):
                items.append(f"<li>{html.escape(lines[i][2:])}</li>")
                i += 1
            parts.append("<ul>" + "".join(items) + "</ul>")
            continue
        i += 1
        if not line.strip():
            continue
        if line.startswith("## "):
            title = line[3:]
            sections.append((_slug(title), title))
            parts.append(f'<h2 id="{_slug(title)}">{html.escape(title)}</h2>')
        elif line.startswith("# "):
            parts.append(f"<h1>{html.escape(line[2:])}</h1>")
        elif image := _IMAGE.match(line):
            alt, name = image.groups()
            uri = _data_uri(out / name) if "/" not in name else None
            parts.append(f'<figure><img alt="{html.escape(alt)}" src="{uri}"></figure>' if uri
                         else f"<p>(chart {html.escape(name)} missing)</p>")
        else:
            parts.append(f"<p>{html.escape(line)}</p>")
    return "\n".join(parts), sections


def _table_html(block: list[str]) -> str:
    def cells(line: str) -> list[str]:
        inner = line.strip()[1:-1] if line.strip().endswith("|") else line.strip()[1:]
        return [html.escape(c.strip().replace("\\|", "|")) for c in _CELL.split(inner)]

    head, body = cells(block[0]), [cells(line) for line in block[2:]]
    rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in body)
    return ('<div class="scroll"><table><thead><tr>' + "".join(f"<th>{c}</th>" for c in head)
            + f"</tr></thead><tbody>{rows}</tbody></table></div>")


# --- the page -------------------------------------------------------------------------------


def _packs(traces: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """The transcripts in packs of consecutive episodes, each a JSON list, deflated (zlib) and base64,
    with the index of its first episode.

    Neighbouring episodes share a task, so their system prompts, goals and programs repeat: a pack
    compresses about 14x where one episode alone gives 2x. Base64 holds no character HTML treats
    specially, so no agent text can close its element.
    """
    packs, current, size = [], [], 0
    for trace in traces:
        text = json.dumps(trace, ensure_ascii=False, separators=(",", ":"))
        if current and (len(current) == PACK_EPISODES or size + len(text) > PACK_CHARS):
            packs.append(current)
            current, size = [], 0
        current.append(text)
        size += len(text)
    if current:
        packs.append(current)
    firsts = [sum(map(len, packs[:n])) for n in range(len(packs))]
    return [(first, base64.b64encode(zlib.compress(("[" + ",".join(p) + "]").encode(), 9)).decode("ascii"))
            for first, p in zip(firsts, packs, strict=True)]


def _options(values: Sequence[tuple[str, str]], everything: str) -> str:
    return f'<option value="">{everything}</option>' + "".join(
        f'<option value="{html.escape(v)}">{html.escape(text)}</option>' for v, text in values)


def _summary(index: int, row: Row, arm: str, flags: int, outside: int) -> str:
    """The episode's line in the list; its data-* attributes are what the filters match."""
    task, label, result = html.escape(str(row.get("task"))), html.escape(arm_label(arm_of(row))), outcome(row)
    counts = (("flag", flags), ("outside", outside))
    marks = " ".join(m for m, n in counts if n)
    badges = "".join(f'<span class="badge {m}">{n} {m if m == "outside" else "flag"}{"s" if n > 1 else ""}'
                     "</span>" for m, n in counts if n)
    fault = f' <span class="dim">fault {html.escape(str(row["fault"]))}</span>' if row.get("fault") else ""
    return (f'<details class="ep" id="ep-{index}" data-i="{index}" data-task="{task}" data-arm="{arm}" '
            f'data-outcome="{result}" data-marks="{marks}"><summary><span class="task">{task}</span>'
            f'<span class="arm" title="{label}">{arm}</span><span class="out {result}">{result}</span>'
            f'<span class="num">{float(row.get("completion") or 0):.3f}</span>'
            f'<span class="num">{html.escape(str(row.get("turns", "?")))} turns</span>'
            f'<span class="rest">{label}{fault} {badges}</span></summary><div class="body"></div></details>')


def _filters(tasks: list[str], arms: dict[Any, str], total: int) -> str:
    def select(key: str, everything: str, values: Sequence[tuple[str, str]]) -> str:
        return f'<label>{key} <select id="f-{key}">{_options(values, everything)}</select></label>'

    labels = [(ident, f"{ident} · {arm_label(arm)}") for arm, ident in arms.items()]
    marks = [("flag", "unsupported claims"), ("outside", "outside changes")]
    return ('<div class="filters">'
            + select("task", "every task", [(t, t) for t in tasks])
            + select("arm", "every arm", labels)
            + select("outcome", "every outcome", [(o, o) for o in OUTCOMES])
            + select("marks", "any", marks)
            + f'<span id="f-count">{total} of {total} episodes</span></div>')


def _episodes_html(rows: list[Row], out: Path) -> str:
    arms = {arm: f"A{i}" for i, arm in enumerate(group_by_arm(rows), start=1)}
    rows = sorted(rows, key=_episode_key)
    items, traces = [], []
    totals = {"flag": 0, "outside": 0, "cut": 0}
    for index, row in enumerate(rows):
        trace = load_trace(out, row)
        flags, outside = _count(trace["events"], "flag"), _count(trace["events"], "outside")
        totals["flag"] += flags
        totals["outside"] += outside
        totals["cut"] += trace.get("cut", 0)
        items.append(_summary(index, row, arms[arm_of(row)], flags, outside))
        traces.append(trace)
    packs = _packs(traces)
    legend = (
        '<p class="legend"><span class="badge flag">flag</span> an assistant sentence claims something '
        f'(ran, tested, verified, wrote) that no tool call before it backs ({totals["flag"]} in all); '
        '<span class="badge outside">outside</span> files changed outside the agent\'s turn '
        f'({totals["outside"]} in all). Texts over {KEEP:,} characters keep their head and tail '
        f'({totals["cut"]:,} characters cut in all). Click an episode to read its transcript.</p>')
    filters = _filters(sorted({str(r.get("task")) for r in rows}), arms, len(rows))
    return ('<h2 id="episodes">Episodes</h2>' + legend + filters + '<div id="eps">' + "".join(items)
            + "</div>\n" + "\n".join(f'<script type="application/x-transcripts" class="pack" '
                                       f'data-first="{first}">{p}</script>' for first, p in packs))


def render_html(markdown: str, rows: list[Row], out: Path) -> str:
    """The page for ``rows`` (with report.md's text ``markdown``); reads traces and PNGs in ``out``."""
    body, sections = markdown_html(markdown, out)
    nav = [*sections, ("episodes", "Episodes")] if rows else sections
    links = " · ".join(f'<a href="#{ident}">{html.escape(title)}</a>' for ident, title in nav)
    episodes = _episodes_html(rows, out) if rows else ""
    csp = (f"default-src 'none'; img-src data:; style-src '{_sha256(_CSS)}'; script-src '{_sha256(_JS)}'")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<link rel="icon" href="data:,"><title>Bench report</title>'
            f"<style>{_CSS}</style></head><body>\n<nav>{links}</nav><main>\n{body}\n{episodes}\n</main>"
            f"<script>{_JS}</script></body></html>\n")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode("ascii")


# The page's style and script, inlined into every report (they are hashed into its CSP).
_CSS = Path(__file__).with_name("report.css").read_text(encoding="utf-8")
_JS = Path(__file__).with_name("report.js").read_text(encoding="utf-8")
