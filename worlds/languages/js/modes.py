"""Script or module: does a program need ES module mode?

Module mode is needed for ``import``/``export`` declarations, ``import.meta``
and top-level ``await``; everything else runs as a script, which keeps its
completion value (a module has none). A light scanner decides: it skips
strings, template literals, comments and regular expressions, and knows which
braces open a function body, so an ``await`` inside a function does not count.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
  | (?P<string>'(?:[^'\\\n]|\\.)*'?|"(?:[^"\\\n]|\\.)*"?)
  | (?P<template>`)
  | (?P<word>[A-Za-z_$][\w$]*)
  | (?P<number>\d[\w.]*)
  | (?P<arrow>=>)
  | (?P<punct>\.\.\.|[?][.]|[^\s\w])
""", re.X | re.S)
_BLOCK_KEYWORDS = {"if", "for", "while", "switch", "catch", "with", "return", "typeof", "await",
                   "case", "do", "else", "try", "finally", "in", "of", "new", "delete", "void",
                   "throw", "yield"}
# After these tokens a `/` starts a regular expression, not a division.
_REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^") | {"return", "typeof", "case", "do", "else", "in", "of",
                                              "new", "delete", "void", "throw", "yield", "await", "=>"}


def _skip_template(src: str, pos: int) -> int:
    """Index just past the template literal whose opening backtick ends at ``pos``."""
    depth = 0
    while pos < len(src):
        ch = src[pos]
        if ch == "\\":
            pos += 2
            continue
        if depth == 0 and ch == "`":
            return pos + 1
        if ch == "$" and src.startswith("${", pos):
            depth += 1
            pos += 2
            continue
        if depth and ch == "}":
            depth -= 1
        elif depth and ch == "`":
            pos = _skip_template(src, pos + 1)
            continue
        pos += 1
    return pos


def _skip_regex(src: str, pos: int) -> int:
    in_class = False
    while pos < len(src) and src[pos] != "\n":
        ch = src[pos]
        if ch == "\\":
            pos += 2
            continue
        if ch == "[":
            in_class = True
        elif ch == "]":
            in_class = False
        elif ch == "/" and not in_class:
            pos += 1
            while pos < len(src) and (src[pos].isalnum() or src[pos] == "_"):
                pos += 1  # flags
            return pos
        pos += 1
    return pos


def needs_module(src: str) -> bool:
    """Whether ``src`` uses module syntax: import/export declarations or top-level await."""
    # Per open bracket: (bracket, opens a function body, could start a function's params).
    opens: list[tuple[str, bool, bool]] = []
    arrows: list[int] = []  # bracket depths at which an expression-bodied arrow is open
    prev = ""  # the previous significant token ("value" for literals)
    params_before = False  # whether the `)` just closed was a parameter list
    pos = 0
    while pos < len(src):
        m = _TOKEN.match(src, pos)
        if m is None:
            pos += 1
            continue
        kind, text = m.lastgroup, m.group()
        pos = m.end()
        if kind in ("space", "comment"):
            continue
        if kind in ("string", "number"):
            prev = "value"
            continue
        if kind == "template":
            pos, prev = _skip_template(src, pos), "value"
            continue
        if text == "/" and prev in _REGEX_AFTER | {""}:
            pos, prev = _skip_regex(src, pos), "value"
            continue
        top_level = not arrows and not any(is_fn for _, is_fn, _ in opens)
        if kind == "word" and top_level and prev not in (".", "?."):
            rest = src[pos:].lstrip()
            statement_start = prev in ("", ";", "}")
            if text == "await":
                return True
            if text == "import" and (rest.startswith(".meta") or (
                    statement_start and not rest.startswith(("(", ".")))):
                return True
            if text == "export" and statement_start:
                return True
        if kind == "arrow":
            if not src[pos:].lstrip().startswith("{"):
                arrows.append(len(opens))
        elif text in "([{":
            is_function = text == "{" and (prev == "=>" or (prev == ")" and params_before))
            could_be_params = text == "(" and (
                prev == "function" or (prev.isidentifier() and prev not in _BLOCK_KEYWORDS))
            opens.append((text, is_function, could_be_params))
        elif text in ")]}":
            while arrows and arrows[-1] >= len(opens):
                arrows.pop()  # an expression-bodied arrow ends with its enclosing bracket
            params_before = bool(opens) and opens[-1][2]
            if opens:
                opens.pop()
        elif text in ",;" and arrows and arrows[-1] == len(opens):
            arrows.pop()
        prev = text
    return False
