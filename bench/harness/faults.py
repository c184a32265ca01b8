"""Seeding faults into reference solutions, from the catalog in ``bench/faults.toml``.

A fault of stage ``world`` is not in the program: the harness changes the
world between turns (``outside.py``), so it has no site here.

A fault is placed outside strings and comments, at a site chosen by a random
generator seeded with the episode's seed, task, language and kind, so the same
inputs always give the same faulty program.
"""

from __future__ import annotations

import random
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from worlds import World

from .tasks import BENCH

# Strings and comments of SQL, PRQL and JS; a fault never lands inside one.
_OPAQUE = re.compile(r"""'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`|--[^\n]*|//[^\n]*|#[^\n]*"""
                     r"""|/\*.*?\*/""", re.S)
_KEYWORDS = {"SELECT": "SELEC", "FROM": "FORM", "GROUP BY": "GROUP YB", "ORDER BY": "ORDER BYY",
             "WHERE": "WHER", "DESC": "DESX"}
_METHODS = {"length": "lenght", "split": "spilt", "filter": "fitler", "push": "psuh", "slice": "silce",
            "reduce": "reudce", "toFixed": "toFixd", "parse": "prase", "trim": "trmi", "keys": "kyes"}


@dataclass(frozen=True)
class Kind:
    kind: str
    langs: tuple[str, ...]
    about: str
    stage: str = "program"  # or "world": the harness changes the world between turns


@cache
def catalog() -> dict[str, Kind]:
    data = tomllib.loads((BENCH / "faults.toml").read_text())
    return {f["kind"]: Kind(f["kind"], tuple(f["langs"]), f["about"], f.get("stage", "program"))
            for f in data["fault"]}


def in_world(kind: str | None) -> bool:
    """Whether ``kind`` is a fault the harness makes in the world (not one seeded in the program)."""
    return kind is not None and kind in catalog() and catalog()[kind].stage == "world"


def seed_fault(kind: str, source: str, lang: str, world: World, *, seed: int, task: str) -> str | None:
    """``source`` with one fault of ``kind``, or None when the program offers no site for it."""
    if lang not in catalog()[kind].langs or in_world(kind):
        return None
    rng = random.Random(f"{seed}:{task}:{lang}:{kind}")
    sites = _SITES[kind](source, world, lang)
    if kind not in _IN_STRINGS:
        sites = [s for s in sites if not _opaque(source, s[0])]
    if not sites:
        return None
    start, end, replacement = rng.choice(sites)
    faulty = source[:start] + replacement + source[end:]
    return faulty if faulty != source else None


def _opaque(source: str, at: int) -> bool:
    return any(m.start() <= at < m.end() for m in _OPAQUE.finditer(source))


Site = tuple[int, int, str]


def _misspell(word: str, rng_pick: int) -> str:
    """Two neighbouring letters swapped, or the last letter dropped."""
    if len(word) >= 4 and rng_pick % 2 == 0:
        i = len(word) // 2
        swapped = word[:i - 1] + word[i] + word[i - 1] + word[i + 1:]
        if swapped != word:
            return swapped
    return word[:-1]


def _words(source: str, names: set[str]) -> list[re.Match[str]]:
    """Uses of ``names``: not where the program gives a name (`AS total`, PRQL's `total = ...`)."""
    return [m for m in re.finditer(r"\b[A-Za-z_][A-Za-z0-9_]*\b", source) if m.group(0) in names
            and not re.search(r"\bAS\s+$", source[:m.start()], re.I)
            and not re.match(r"\s*=(?!=)", source[m.end():])]


def _columns(source: str, world: World, lang: str) -> list[Site]:
    names = {c.name for t in world.schema().tables.values() for c in t.columns if len(c.name) >= 3}
    return [(m.start(), m.end(), _misspell(m.group(0), n)) for n, m in enumerate(_words(source, names))]


def _tables(source: str, world: World, lang: str) -> list[Site]:
    names = set(world.schema().tables)
    return [(m.start(), m.end(), m.group(0)[:-1] if m.group(0).endswith("s") else m.group(0) + "s")
            for m in _words(source, names)]


def _keywords(source: str, world: World, lang: str) -> list[Site]:
    return [(m.start(), m.end(), _KEYWORDS[key]) for key in _KEYWORDS
            for m in re.finditer(rf"\b{key}\b", source)]


def _brackets(source: str, world: World, lang: str) -> list[Site]:
    return [(m.start(), m.end(), "") for m in re.finditer(r"[)\]]", source)]


def _names(source: str, world: World, lang: str) -> list[Site]:
    declared = set(re.findall(r"\b(?:const|let|var)\s+([A-Za-z_$][\w$]{2,})", source))
    uses = [m for m in _words(source, declared)
            if not re.search(r"(?:const|let|var)\s+$", source[:m.start()])]
    return [(m.start(), m.end(), _misspell(m.group(0), n)) for n, m in enumerate(uses)]


def _methods(source: str, world: World, lang: str) -> list[Site]:
    return [(m.start(1), m.end(1), _METHODS[m.group(1)])
            for m in re.finditer(r"\.(" + "|".join(_METHODS) + r")\b", source)]


def _files(source: str, world: World, lang: str) -> list[Site]:
    out: list[Site] = []
    for path in world.files:
        stem, dot, ext = path.rpartition(".")
        wrong = (stem[:-1] if stem.endswith("s") else stem + "s") + dot + ext
        out += [(m.start() + 1, m.end() - 1, wrong) for m in re.finditer(rf"[\"'`]{re.escape(path)}[\"'`]",
                                                                          source)]
    return out


def _aggregates(source: str, world: World, lang: str) -> list[Site]:
    average = "average" if lang in ("prql", "jsonata") else "avg"
    return [(m.start(), m.end(), average if m.group(0).islower() else "AVG")
            for m in re.finditer(r"\b(?:sum|SUM)\b(?=\s*[( ])", source)]


def _python(source: str, world: World, lang: str) -> list[Site]:
    words = {"true": "True", "false": "False", "null": "None"}
    return [(m.start(1), m.end(1), "append") for m in re.finditer(r"\.(push)\(", source)] + [
        (m.start(), m.end(), words[m.group(0)]) for m in re.finditer(r"\b(?:true|false|null)\b", source)]


def _double_quotes(source: str, world: World, lang: str) -> list[Site]:
    return [(m.start(), m.end(), f'"{m.group(1)}"') for m in re.finditer(r"'([^'\"\n]+)'", source)
            if not _opaque(source[:m.start()], m.start() - 1)]  # a literal of its own, not inside another


def _group_by(source: str, world: World, lang: str) -> list[Site]:
    """The last item of each GROUP BY list of two or more (names only, not positions)."""
    out = []
    for m in re.finditer(r"\bGROUP BY\s+([\w.]+(?:\s*,\s*[\w.]+)+)\b(?!\s*\()", source, re.I):
        items = m.group(1)
        last = items.rfind(",")
        if not items[last + 1:].strip().isdigit():
            out.append((m.start(1) + last, m.end(1), ""))
    return out


#: Faults placed in a string literal on purpose.
_IN_STRINGS = frozenset({"file-typo", "double-quoted-string"})

_SITES: dict[str, Callable[[str, World, str], list[Site]]] = {
    "column-typo": _columns, "table-typo": _tables, "keyword-typo": _keywords,
    "unclosed-bracket": _brackets, "name-typo": _names, "method-typo": _methods,
    "file-typo": _files, "aggregate-swap": _aggregates, "python-ism": _python,
    "double-quoted-string": _double_quotes, "group-by-drop": _group_by,
}
