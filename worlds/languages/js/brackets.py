"""Brackets and literals: a light scanner for what tree-sitter's error recovery blurs.

When a program does not parse, tree-sitter's ERROR nodes often cover a whole
statement; an unclosed `(` or an unterminated string is found more exactly by
matching brackets and literals directly. The scanner skips comments, strings,
template literals (descending into `${...}`) and regular expressions, and
reports the first bracket problem only: the ones after it are usually echoes.
It is run only on programs tree-sitter already found broken, so its guess
between a regular expression and a division never causes a false error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPEN = {"(": ")", "[": "]", "{": "}", "${": "}"}
CLOSE = {")": "(", "]": "[", "}": "{"}
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[\w$\u0080-\uffff]+")
_STRING = {"'": re.compile(r"'(?:[^'\\\n]|\\.)*'?", re.S), '"': re.compile(r'"(?:[^"\\\n]|\\.)*"?', re.S)}
_PUNCT = re.compile(r"=>|\?\.|\.\.\.|.", re.S)
# After these a `/` starts a regular expression, not a division.
_REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^") | {"", "=>", "return", "typeof", "case", "do", "else",
                                              "in", "of", "new", "delete", "void", "throw", "yield",
                                              "await", "instanceof"}


@dataclass(frozen=True)
class Problem:
    """One finding, in character offsets.

    ``kind`` is ``unterminated`` (``what``: string, template, comment, regex;
    ``start:end`` the literal so far), ``unclosed`` (``what``: the opening
    bracket at ``start``, still open at the end), ``mismatch`` (the opener at
    ``start`` met the wrong closer ``other`` at ``end``) or ``stray`` (the
    closer at ``start`` closes nothing).
    """

    kind: str
    what: str
    start: int
    end: int
    other: str = ""
    deeper: bool = False  # a mismatched closer matches an opener further out


@dataclass(frozen=True)
class Pair:
    """A matched `{`/`}` pair: their offsets (kept to guess which block lost its `}`)."""

    open: int
    close: int


@dataclass
class Scan:
    problems: list[Problem]
    pairs: list[Pair]
    unclosed: list[tuple[str, int]]  # openers left open at the end, outermost first


def scan(src: str) -> Scan:
    """Unterminated literals, and the first bracket problem, of ``src``."""
    problems: list[Problem] = []
    pairs: list[Pair] = []
    stack: list[tuple[str, int]] = []
    bracket_done = False
    prev = ""
    pos, n = 0, len(src)
    while pos < n:
        ch = src[pos]
        if ch.isspace():
            pos = _SPACE.match(src, pos).end()  # type: ignore[union-attr]
            continue
        if src.startswith("//", pos):
            end = src.find("\n", pos)
            pos = n if end < 0 else end
            continue
        if src.startswith("/*", pos):
            end = src.find("*/", pos + 2)
            if end < 0:
                problems.append(Problem("unterminated", "comment", pos, n))
                break
            pos = end + 2
            continue
        if ch in _STRING:
            m = _STRING[ch].match(src, pos)
            assert m is not None
            text = m.group()
            if len(text) < 2 or text[-1] != ch:  # escaped quotes were consumed by the pattern
                problems.append(Problem("unterminated", "string", pos, m.end()))
            pos, prev = m.end(), "value"
            continue
        if ch == "`":
            pos, stop = _template(src, pos, stack, problems)
            prev = "value"
            if stop:
                break
            continue
        if ch == "/" and prev in _REGEX_AFTER:
            pos = _regex(src, pos, problems)
            prev = "value"
            continue
        m = _WORD.match(src, pos)
        if m:
            pos, prev = m.end(), m.group()
            continue
        tok = _PUNCT.match(src, pos).group()  # type: ignore[union-attr]
        if tok in OPEN:
            stack.append((tok, pos))
        elif tok in CLOSE:
            if stack and OPEN.get(stack[-1][0]) == tok:
                opener, at = stack.pop()
                if opener == "{":
                    pairs.append(Pair(at, pos))
                elif opener == "${":
                    pos, stop = _template(src, pos, stack, problems, resume=True)
                    prev = "value"
                    if stop:
                        break
                    continue
            elif not stack:
                if not bracket_done:
                    problems.append(Problem("stray", tok, pos, pos + 1))
                    bracket_done = True
            else:
                depth = next((i for i in range(len(stack) - 1, -1, -1)
                              if stack[i][0] == CLOSE[tok]), -1)
                if not bracket_done:
                    opener, at = stack[-1]
                    problems.append(Problem("mismatch", opener, at, pos, other=tok, deeper=depth >= 0))
                    bracket_done = True
                if depth >= 0:
                    del stack[depth:]
        pos += len(tok)
        prev = tok
    return Scan(problems, pairs, stack if not bracket_done else [])


def _template(src: str, pos: int, stack: list[tuple[str, int]], problems: list[Problem],
              resume: bool = False) -> tuple[int, bool]:
    """Scan template text from its backtick (or from the `}` ending a `${`)."""
    start = pos
    if resume:
        # the template's own backtick: the `${` we just closed was pushed after it
        start = next((at for opener, at in reversed(stack) if opener == "`"), pos)
    else:
        stack.append(("`", pos))
    pos += 1
    n = len(src)
    while pos < n:
        ch = src[pos]
        if ch == "\\":
            pos += 2
            continue
        if ch == "`":
            _pop_template(stack)
            return pos + 1, False
        if ch == "$" and src.startswith("${", pos):
            stack.append(("${", pos))
            return pos + 2, False
        pos += 1
    problems.append(Problem("unterminated", "template", start, n))
    return n, True


def _pop_template(stack: list[tuple[str, int]]) -> None:
    for i in range(len(stack) - 1, -1, -1):
        if stack[i][0] == "`":
            del stack[i:]
            return


def _regex(src: str, pos: int, problems: list[Problem]) -> int:
    start, in_class = pos, False
    pos += 1
    n = len(src)
    while pos < n and src[pos] != "\n":
        ch = src[pos]
        if ch == "\\":
            pos += 2
            continue
        if ch == "[":
            in_class = True
        elif ch == "]":
            in_class = False
        elif ch == "/" and not in_class:
            return _WORD.match(src, pos + 1).end() if _WORD.match(src, pos + 1) else pos + 1  # type: ignore[union-attr]
        pos += 1
    problems.append(Problem("unterminated", "regex", start, min(pos, n)))
    return min(pos, n)


def indentation(src: str, offset: int) -> tuple[int, int]:
    """The start offset of the line holding ``offset``, and that line's indentation width."""
    line_start = src.rfind("\n", 0, offset) + 1
    end = line_start
    while end < len(src) and src[end] in " \t":
        end += 1
    return line_start, src.count(" ", line_start, end) + 4 * src.count("\t", line_start, end)


def leading(src: str, offset: int) -> str:
    """The spaces and tabs that start the line holding ``offset``."""
    line_start = src.rfind("\n", 0, offset) + 1
    end = src.find("\n", line_start)
    line = src[line_start:end if end >= 0 else len(src)]
    return line[: len(line) - len(line.lstrip(" \t"))]


def first_on_line(src: str, offset: int) -> bool:
    line_start = src.rfind("\n", 0, offset) + 1
    return not src[line_start:offset].strip()


def lost_brace(src: str, scan_: Scan) -> Pair | None:
    """The `{`/`}` pair whose `}` is indented less than its `{` line: likely closing an outer block.

    When a `{` is left open at the end, the block that really lost its `}` is
    usually the first one whose `}` lines up with an outer line instead.
    """
    if not any(opener == "{" for opener, _ in scan_.unclosed):
        return None
    for pair in sorted(scan_.pairs, key=lambda p: p.close):
        if not first_on_line(src, pair.close):
            continue
        if indentation(src, pair.close)[1] < indentation(src, pair.open)[1]:
            return pair
    return None
