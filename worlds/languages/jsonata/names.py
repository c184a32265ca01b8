"""The names a JSONata expression uses, read without running it, and the data's keys.

JSONata looks up a missing key or an unbound ``$variable`` as nothing, silently:
the expression then gives an empty or short result and no error says why. So
the names are checked here against what exists: every key of the inputs'
records, the data variables, JSONata's own functions and what the expression
binds itself.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass

#: JSONata 2.2's function library (its documentation's list), without the ``$``.
FUNCTIONS = frozenset([
    "sum", "count", "max", "min", "average", "string", "substring", "substringBefore",
    "substringAfter", "lowercase", "uppercase", "length", "trim", "pad", "contains", "split", "join",
    "match", "replace", "now", "millis", "fromMillis", "toMillis", "formatNumber", "formatBase",
    "formatInteger", "parseInteger", "number", "abs", "floor", "ceil", "round", "power", "sqrt",
    "random", "boolean", "not", "exists", "keys", "lookup", "spread", "merge", "sift", "each", "error",
    "assert", "type", "sort", "reverse", "shuffle", "distinct", "zip", "append", "map", "filter",
    "single", "reduce", "base64encode", "base64decode", "encodeUrlComponent", "encodeUrl",
    "decodeUrlComponent", "decodeUrl", "eval", "clone",
])
KEYWORDS = frozenset({"and", "or", "in", "true", "false", "null", "function"})
#: After these a ``/`` starts a regular expression, not a division.
_OPERAND_NEXT = frozenset(["", "(", "[", "{", ",", ":", ";", "?", "=", "!=", "<", ">", "<=", ">=", "+", "-",
                           "*", "%", "&", "~>", ":=", "and", "or", "in"])


@dataclass(frozen=True)
class Token:
    kind: str  # name, var, string, number, op, regex
    text: str
    start: int  # character offsets in the expression
    end: int


def tokens(source: str) -> Iterator[Token]:
    """JSONata's tokens, enough to find names: strings, comments and regexes are skipped whole."""
    i, n, prev = 0, len(source), ""
    while i < n:
        ch = source[i]
        if ch.isspace():
            i += 1
            continue
        if source.startswith("/*", i):
            end = source.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        if ch in "\"'":
            j = i + 1
            while j < n and source[j] != ch:
                j += 2 if source[j] == "\\" else 1
            token = Token("string", source[i + 1:min(j, n)], i, min(j + 1, n))
        elif ch == "`":
            j = source.find("`", i + 1)
            j = n if j < 0 else j
            token = Token("name", source[i + 1:j], i, min(j + 1, n))
        elif ch == "/" and prev in _OPERAND_NEXT:
            j = i + 1
            while j < n and source[j] != "/":
                j += 2 if source[j] == "\\" else 1
            j += 1
            while j < n and source[j] in "im":
                j += 1
            token = Token("regex", source[i:j], i, min(j, n))
        elif ch == "$":
            m = re.compile(r"\$\$?[A-Za-z0-9_]*").match(source, i)
            assert m is not None
            token = Token("var", m.group(), i, m.end())
        elif ch.isalpha() or ch == "_":
            m = re.compile(r"[A-Za-z_][A-Za-z0-9_]*").match(source, i)
            assert m is not None
            kind = "op" if m.group() in ("and", "or", "in") else "name"
            token = Token(kind, m.group(), i, m.end())
        elif ch.isdigit():
            m = re.compile(r"\d+(?:\.\d+)?(?:[eE][-+]?\d+)?").match(source, i)
            assert m is not None
            token = Token("number", m.group(), i, m.end())
        else:
            two = source[i:i + 2]
            text = two if two in (":=", "~>", "!=", "<=", ">=", "**", "..", "?:", "??") else ch
            token = Token("op", text, i, i + len(text))
        yield token
        prev = token.text if token.kind == "op" else token.kind
        i = token.end


@dataclass(frozen=True)
class Slip:
    """A name that matches nothing, and the nearest that exists."""

    token: Token
    kind: str  # "field", "key" (a bare name before ':' in an object) or "variable"
    nearest: str | None


def slips(source: str, keys: frozenset[str], variables: frozenset[str]) -> list[Slip]:
    """Names in ``source`` that are no key of the data and variables bound nowhere."""
    found = list(tokens(source))
    bound = _bound(found)
    strings = {t.text for t in found if t.kind == "string"}
    known_vars = variables | bound | FUNCTIONS
    out: list[Slip] = []
    depth = 0  # inside an object constructor's braces
    for k, token in enumerate(found):
        after = found[k + 1].text if k + 1 < len(found) else ""
        if token.text == "{":
            depth += 1
        elif token.text == "}":
            depth -= 1
        if token.kind == "name" and token.text not in KEYWORDS:
            if token.text in keys or token.text in strings or token.text in variables:
                continue
            kind = "key" if depth > 0 and after == ":" else "field"
            out.append(Slip(token, kind, nearest(token.text, keys | variables)))
        elif token.kind == "var" and token.text not in ("$", "$$"):
            name = token.text[1:]
            if name in known_vars:
                continue
            choices = (FUNCTIONS if after == "(" else variables | bound) or FUNCTIONS
            out.append(Slip(token, "variable", nearest(name, choices)))
    return out


def _bound(found: list[Token]) -> set[str]:
    """The variables an expression binds: ``$x :=``, function parameters, ``@$x`` and ``#$i``."""
    bound = set()
    params = False
    for k, token in enumerate(found):
        if token.kind == "name" and token.text == "function":
            params = True
        elif params and token.text == ")":
            params = False
        if token.kind != "var":
            continue
        before = found[k - 1].text if k else ""
        after = found[k + 1].text if k + 1 < len(found) else ""
        if params or after == ":=" or before in ("@", "#"):
            bound.add(token.text[1:])
    return bound


def nearest(name: str, choices: frozenset[str] | set[str]) -> str | None:
    """The closest of ``choices``: the same name in another case first, else a near spelling."""
    folded = [c for c in choices if c.lower() == name.lower()]
    if folded:
        return sorted(folded)[0]
    close = difflib.get_close_matches(name, sorted(choices), n=1, cutoff=0.75)
    return close[0] if close else None
