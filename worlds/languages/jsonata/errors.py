"""JSONata's errors and our name checks as diagnostics: a span on the expression, a plain
cause, the value it got, and a fix where one is known."""

from __future__ import annotations

import json
from typing import Any

from ...diagnostics import Diagnostic, Fix, Span, TextEdit
from . import codes
from .names import FUNCTIONS, Slip, nearest

#: What to change, for the errors models meet most (JSONata's code -> help).
HELP = {
    "T2001": "JSONata's arithmetic takes numbers only: join text with `&`; make a number of text with "
             "`$number(x)`",
    "T2002": "JSONata's arithmetic takes numbers only: join text with `&`; make a number of text with "
             "`$number(x)`",
    "T0412": "make numbers of text first: `$sum(rows.$number(amount))`",
    "T0411": "called without that argument, the function is applied to the current context value; pass "
             "the value explicitly",
    "T1003": "a key in an object constructor is an expression: quote a literal key, `{\"total\": ...}`",
    "T2008": "order-by keys must all be numbers or all text: convert with `$number()` or `$string()`",
    "D1009": "several values gave the same key: group them as an array, `{key: [value]}`, or aggregate",
    "D3030": "only text that reads as a number can be cast: clean it first (`$replace`, `$substringBefore`)",
    "S0201": "JSONata compares with `=`, not `==`; `!=` is 'not equal'",
}
_KIND = {"S": codes.SYNTAX, "T": codes.TYPE}


def from_error(error: dict[str, Any], source: str, file: str) -> Diagnostic:
    """A JSONata error object (its ``code``, ``position``, ``token``, ``message``) as a diagnostic."""
    jcode = str(error.get("code") or "")
    message = str(error.get("message") or "JSONata failed")
    span = _span(source, error.get("position"), error.get("token"))
    # A syntax error's value is the token it expected, which its message already names.
    notes = [f"the value it got: {error['value']}"] if error.get("value") and jcode[:1] != "S" else []
    help_ = [HELP[jcode]] if jcode in HELP else []
    fixes = []
    if jcode == "T1006" and span is not None and error.get("token"):
        near = nearest(str(error["token"]), set(FUNCTIONS))
        if near:
            fixes = [_replace(source, span, f"${near}", f"call `${near}`")]
    closer = _expected_closer(error)
    if closer and span is not None:  # the parser says which bracket it expected, and where
        at = span.end if jcode == "S0203" else span.start
        fixes = [Fix(description=f"insert `{closer}`", applicable=True,
                     edits=[TextEdit(span=Span(start=at, end=at), replacement=closer)])]
    label = f"JSONata {jcode}" if jcode else (error.get("name") or "error")
    return Diagnostic(code=_KIND.get(jcode[:1], codes.EVALUATION),
                      message=f"{message} (JSONata {jcode})" if jcode else message,
                      file=file, span=span, label=str(label), notes=notes, help=help_, fixes=fixes)


def _expected_closer(error: dict[str, Any]) -> str | None:
    """The closing bracket a syntax error expected (S0202 "Expected ")", got ..."; S0203 at the end)."""
    if error.get("code") not in ("S0202", "S0203"):
        return None
    try:
        expected = json.loads(str(error.get("value")))
    except ValueError:
        return None
    return expected if expected in (")", "]", "}") else None


def from_slip(slip: Slip, source: str, file: str) -> Diagnostic:
    token = slip.token
    span = Span.from_offsets(source, token.start, token.end)
    if slip.kind == "variable":
        message = (f"`{token.text}` is not defined: not bound in the expression, not a data variable and "
                   "not a JSONata function; it has no value")
        code, fixes = codes.UNKNOWN_NAME, []
        if slip.nearest:
            fixes = [_replace(source, span, "$" + slip.nearest, f"use `${slip.nearest}`")]
    elif slip.kind == "key" and not slip.nearest:
        message = (f"`{token.text}` before `:` is a path, evaluated for the key's name, and no record has "
                   f"that key, so the object gets no `{token.text}`; quote it to name the key")
        quoted = f'"{token.text}"'
        code, fixes = codes.UNKNOWN_FIELD, [_replace(source, span, quoted, f"the key {quoted}")]
    else:
        message = f"`{token.text}` is no key of any record in the data; the path gives nothing"
        code, fixes = codes.UNKNOWN_FIELD, []
        if slip.nearest:
            fixes = [_replace(source, span, slip.nearest, f"use the key `{slip.nearest}`")]
    # A near miss of a real name is a slip; a name near nothing may be a key some records lack.
    return Diagnostic(code=code, severity="error" if slip.nearest else "warning", message=message,
                      file=file, span=span,
                      label="no such name" if slip.kind == "variable" else "no such key", fixes=fixes)


def _replace(source: str, span: Span, text: str, description: str) -> Fix:
    return Fix(description=description, edits=[TextEdit(span=span, replacement=text)], applicable=True)


def _span(source: str, position: Any, token: Any) -> Span | None:
    """JSONata's ``position`` is where the token that failed ends, in UTF-16 units."""
    if not isinstance(position, int):
        return None
    end = _from_utf16(source, position)
    if token == "(end)" or end >= len(source.rstrip()):
        end = len(source.rstrip())
        return Span.from_offsets(source, max(end - 1, 0), end)
    if isinstance(token, str) and token:
        for text in ("$" + token, token):
            start = source.rfind(text, 0, end)
            if start >= 0 and source[start:].startswith(text) and start + len(text) + 2 >= end:
                return Span.from_offsets(source, start, start + len(text))
    return Span.from_offsets(source, max(end - 1, 0), end)


def _from_utf16(source: str, units: int) -> int:
    """The character offset of ``units`` UTF-16 code units into ``source``."""
    if source.isascii():
        return min(units, len(source))
    count = 0
    for index, ch in enumerate(source):
        if count >= units:
            return index
        count += 2 if ord(ch) > 0xFFFF else 1
    return len(source)
