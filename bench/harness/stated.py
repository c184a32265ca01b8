"""The stated plan (``ask`` events) against the trajectory: language, steps, pitfalls, agreement.

The matching is by words, deliberately plain and conservative, so every figure can be explained:

- **Language**: the stated language is read by name (``SQL``/``SQLite``/``Postgres`` -> sql,
  ``JavaScript``/``JS``/``Node`` -> js, ``PRQL``, ``JSONata``, ``tool calls``/``API`` -> toolcalls);
  the used language is the language of the answer files the agent wrote (by extension).
- **Steps**: each stated step is given the kinds whose words it contains: *inspect* (look, read,
  list, explore, describe, schema, sample ...), *write* (write, draft, create, implement ...),
  *run* (run, execute, test), *verify* (verify, check, validate, compare ...), *fix* (fix, debug,
  adjust, iterate ...). The trajectory's tool calls get kinds too: describe, list_files, read_file
  and API calls inspect; write_file and edit_file write (and fix, after a failed run); run and
  check run. A stated kind is *followed* when the trajectory has it (verify: a run that passed).
- **Pitfalls**: a stated pitfall and a problem hit (the code title and message of each diagnostic
  of a failed call; the final answer's problem; a failed ``order`` or ``columns`` check) are
  given topics from a fixed word list (:data:`TOPICS`), with quoted or backticked names removed
  first (``orders`` the table is not a sort order). A pitfall is *hit* when it shares a topic with
  a problem; a problem was *anticipated* when it shares a topic with a stated pitfall. Problems
  with no topic are counted apart, never as anticipated.
- Words match a stem when they start with it; stems under four letters must be the whole word
  (``sum`` is not ``summary``, ``run`` not ``rung``).
- **Agreement** between the N asks: the share stating the most common language; the mean over
  pairs of the similarity of their step-kind sequences (difflib's ratio); the mean over pairs of
  the Jaccard index of their pitfall topics (two empty sets agree).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from itertools import combinations
from typing import Any

from worlds.diagnostics.codes import lookup

LANGUAGES = (("toolcalls", ("tool call", "tool-call", "toolcall", "api call", "the api", "apis")),
             ("prql", ("prql",)),
             ("jsonata", ("jsonata",)),
             ("js", ("javascript", "js", "node", "typescript", "ecmascript")),
             ("sql", ("sql", "sqlite", "postgres", "postgresql", "duckdb", "mysql")))
EXTENSIONS = {".sql": "sql", ".js": "js", ".mjs": "js", ".prql": "prql", ".jsonata": "jsonata",
              ".json": "toolcalls"}

STEP_KINDS = (("inspect", ("inspect", "look", "call", "fetch", "retriev", "search", "read", "list", "explor",
                           "describ", "schema", "preview",
                           "sample", "examin", "peek", "understand", "familiar", "head")),
              ("write", ("write", "draft", "creat", "implement", "compos", "code", "build", "construct")),
              ("run", ("run", "runs", "running", "execut", "test")),
              ("verify", ("verif", "validat", "check", "confirm", "compar", "sanity", "review")),
              ("fix", ("fix", "fixes", "fixing", "debug", "adjust", "iterat", "repair", "refin")))
INSPECT_TOOLS = {"describe", "list_files", "read_file"}
WRITE_TOOLS = {"write_file", "edit_file"}
RUN_TOOLS = {"run", "check"}

#: Topic -> word stems (a word has the topic when it starts with a stem).
TOPICS: dict[str, tuple[str, ...]] = {
    "names": ("column", "field", "misspel", "typo", "identifier", "table", "variable", "declar",
              "undeclared", "undefined", "defined", "initiali"),
    "syntax": ("syntax", "pars", "bracket", "parenthes", "brace", "keyword", "unclosed", "unterminated",
               "token", "close", "closed", "closing"),
    "quoting": ("quot", "apostroph", "escap"),
    "types": ("type", "cast", "integer", "string", "numeric", "convert", "coerc", "text"),
    "nulls": ("null", "empty", "blank", "nan"),
    "dates": ("date", "time", "timestamp", "timezone", "month", "week", "hour", "utc", "calendar"),
    "rounding": ("round", "decimal", "precision", "float"),
    "duplicates": ("duplicat", "distinct", "twice"),
    "joins": ("join",),
    "aggregates": ("aggregat", "group", "sum", "sums", "avg", "average", "median", "percentile"),
    "ordering": ("order", "sort", "rank", "descend", "ascend"),
    "division": ("divis", "divid", "zero"),
    "limits": ("limit", "timeout", "deadline", "memory", "fuel", "steps", "slow"),
    "files": ("file", "path", "csv", "directory"),
    "methods": ("method", "function", "propert"),
}
_QUOTED = re.compile(r"`[^`]*`|(?<!\w)'[^'\n]*'(?!\w)|\"[^\"\n]*\"")
_WORD = re.compile(r"[a-z]+")
CHECK_PROBLEMS = {"order": "the rows are in the wrong order", "columns": "the answer's columns are wrong"}


def language_of(text: str) -> str | None:
    """The language a stated ``language`` names, or None."""
    low = f" {text.lower()} "
    for name, words in LANGUAGES:
        if any(re.search(rf"(?<![a-z]){re.escape(w)}s?(?![a-z])", low) for w in words):
            return name
    return None


def _words(text: str) -> list[str]:
    return _WORD.findall(_QUOTED.sub(" ", text.lower()))


def topics(text: str) -> set[str]:
    """The topics of a pitfall or problem text (quoted names removed first)."""
    words = _words(text)
    return {topic for topic, stems in TOPICS.items() if _has(words, stems)}


def step_kinds(step: str) -> list[str]:
    """The kinds of one stated step, in the order the step names them."""
    words = _words(step)
    first = {kind: next((i for i, w in enumerate(words) if _has([w], stems)), -1)
             for kind, stems in STEP_KINDS}
    return sorted((k for k, i in first.items() if i >= 0), key=lambda k: first[k])


def _has(words: list[str], stems: tuple[str, ...]) -> bool:
    """Whether a word starts with a stem; stems under four letters must be the whole word (sum, run)."""
    return any(w == s or len(s) >= 4 and w.startswith(s) for w in words for s in stems)


def plan_kinds(steps: list[str]) -> list[str]:
    """The kinds of a plan's steps, in order, a kind repeated by the next step kept once."""
    out: list[str] = []
    for step in steps:
        for kind in step_kinds(step):
            if not out or out[-1] != kind:
                out.append(kind)
    return out


def trajectory(events: list[dict[str, Any]]) -> dict[str, Any]:
    """What the episode did: call kinds in order, languages written, problems hit (text, topics)."""
    kinds: list[str] = []
    langs: list[str] = []
    problems: list[dict[str, Any]] = []
    results = {e.get("id"): e for e in events if e.get("type") == "tool_result"}
    failed_before = passed = False
    calls = 0
    for e in events:
        if e.get("type") == "message" and e.get("role") == "assistant":
            for call in e.get("tool_calls") or []:
                calls += 1
                name, answer = call.get("name"), results.get(call.get("id")) or {}
                args = call.get("arguments") if isinstance(call.get("arguments"), dict) else {}
                if name in WRITE_TOOLS:
                    kinds.append("fix" if failed_before else "write")
                    ext = "." + str(args.get("path") or "").rsplit(".", 1)[-1]
                    if ext in EXTENSIONS and EXTENSIONS[ext] not in langs:
                        langs.append(EXTENSIONS[ext])
                elif name in RUN_TOOLS:
                    kinds.append("run")
                    failed_before = failed_before or answer.get("ok") is False
                    passed = passed or answer.get("ok") is True
                else:
                    kinds.append("inspect")
                for d in answer.get("diagnostics") or [] if answer.get("ok") is False else []:
                    code = lookup(str(d.get("code") or ""))
                    message = str(d.get("message") or "").strip().split("\n", 1)[0]
                    text = f"{code.title if code else ''}: {message}"
                    problems.append({"code": d.get("code"), "text": text, "topics": sorted(topics(text))})
    final: dict[str, Any] = next((e for e in reversed(events) if e.get("type") == "score"), {})
    problem = str(final.get("problem") or "").strip().split("\n", 1)[0]
    if problem:
        problems.append({"code": None, "text": problem, "topics": sorted(topics(problem))})
    for check, text in CHECK_PROBLEMS.items():  # what the checks say, when there were rows to check
        if not problem and (final.get("checks") or {}).get(check, 1.0) < 1.0:
            problems.append({"code": None, "text": text, "topics": sorted(topics(text))})
    return {"kinds": kinds, "langs": langs, "problems": problems, "calls": calls, "passed": passed}


def _jaccard(a: set[str], b: set[str]) -> float:
    return 1.0 if not a and not b else len(a & b) / len(a | b)


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def compare(asks: list[dict[str, Any]], events: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """The comparison stored in the episode's row under ``ask`` (see the module's docstring)."""
    plans = [a["plan"] for a in asks if isinstance(a.get("plan"), dict)]
    did = trajectory(events)
    summary: dict[str, Any] = {"asked": len(asks), "answered": len(plans), "lang": lang,
                               "used_langs": did["langs"], "calls": did["calls"],
                               "call_kinds": sorted(set(did["kinds"])),
                               "problems": [p["text"][:160] for p in did["problems"]][:20],
                               "problem_topics": sorted({t for p in did["problems"] for t in p["topics"]})}
    if not plans:
        return summary
    stated = [language_of(p["language"]) for p in plans]
    kinds = [plan_kinds(p["steps"]) for p in plans]
    pitfall_topics = [[topics(x) for x in p["pitfalls"]] for p in plans]
    hit = set(summary["problem_topics"])
    classified = [p for p in did["problems"] if p["topics"]]
    done = set(did["kinds"]) | ({"verify"} if did["passed"] else set())
    first_write = next((i for i, k in enumerate(did["kinds"]) if k in ("write", "fix")), len(did["kinds"]))
    modal = Counter(s or "?" for s in stated).most_common(1)[0]
    summary.update({
        "stated_langs": [s or "?" for s in stated],
        "language_kept": _mean([float(s == lang) for s in stated]),
        "steps_stated": _mean([float(len(p["steps"])) for p in plans]),
        "planned_inspect_first": _mean([float(bool(k) and k[0] == "inspect") for k in kinds]),
        "inspected_first": "inspect" in did["kinds"][:first_write],
        "planned_run": _mean([float("run" in k or "verify" in k) for k in kinds]),
        "ran": "run" in did["kinds"],
        "followed": _mean([len(set(k) & done) / len(set(k)) for k in kinds if k]),
        "pitfalls_stated": _mean([float(len(p["pitfalls"])) for p in plans]),
        "pitfalls_hit": _mean([sum(bool(t & hit) for t in ts) / len(ts) for ts in pitfall_topics if ts]),
        "problems_classified": len(classified),
        "problems_unclassified": len(did["problems"]) - len(classified),
        "anticipated": _mean([sum(bool(set(p["topics"]) & set().union(*ts)) for p in classified)
                              / len(classified) for ts in pitfall_topics]) if classified else None,
        "plans": [{"language": p["language"], "kinds": k, "pitfall_topics": sorted(set().union(*ts))}
                  for p, k, ts in zip(plans, kinds, pitfall_topics, strict=True)],
    })
    if len(plans) > 1:
        pairs = list(combinations(range(len(plans)), 2))
        summary["agreement"] = {
            "language": round(modal[1] / len(plans), 4),
            "steps": _mean([difflib.SequenceMatcher(None, kinds[i], kinds[j]).ratio() for i, j in pairs]),
            "pitfalls": _mean([_jaccard(set().union(*pitfall_topics[i]), set().union(*pitfall_topics[j]))
                               for i, j in pairs])}
    return summary
