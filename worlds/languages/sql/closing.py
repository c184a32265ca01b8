"""A missing `)`: the one place where inserting it makes the statement read, when there is one.

Used by :mod:`.syntax` when sqlglot stops on a statement with one `(` too many.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot.tokenizer_core import Token, TokenType

from ...diagnostics import codes
from .report import Piece, Report

#: Token types that end a clause: a missing `)` is best inserted before them.
CLAUSE_TYPES = frozenset({TokenType.FROM, TokenType.WHERE, TokenType.GROUP_BY, TokenType.ORDER_BY,
                           TokenType.HAVING, TokenType.LIMIT, TokenType.UNION, TokenType.JOIN,
                           TokenType.SEMICOLON, TokenType.QUALIFY, TokenType.OFFSET})

#: Most places a missing `)` is tried at (each is one parse of the statement).
_MAX_TRIES = 80
#: Tokens that end a select item: after a bare literal, they mark it as an item of its own.
_ITEM_END = frozenset({TokenType.ALIAS, TokenType.COMMA, TokenType.R_PAREN,
                       TokenType.SEMICOLON}) | CLAUSE_TYPES
#: Clause keywords that, first on a line, start a clause of the query around a bracket.
_LINE_CLAUSES = CLAUSE_TYPES | {TokenType.SELECT, TokenType.WITH, TokenType.UNION, TokenType.INNER,
                                 TokenType.LEFT, TokenType.RIGHT, TokenType.FULL, TokenType.CROSS}


def missing_close(piece: Piece, report: Report, index: int, parses: Callable[[str], bool]) -> bool:
    """One `)` too few: the one place where inserting it makes the statement read, if there is one.

    The missing `)` closes a bracket still open where reading stopped, so it
    belongs between the innermost such `(` and that token. Each token boundary
    there is tried (not inside a dotted name, not between a name and its `(`);
    when exactly one place reads, that is the fix, marked safe to apply. Two
    readings that are never what was meant do not count when another place
    reads: one that leaves a bare literal standing as an item of its own
    (``ROUND(SUM(x)), 2 AS total`` for ``ROUND(SUM(x), 2 AS total``), and, when
    one place ends a line and the next line starts a clause no deeper than
    the bracket's line, the places that pull that clause into the bracket.
    Several readings left (``SUM(a * b AS x``: ``SUM(a) * b`` or ``SUM(a * b)``)
    give no fix here.
    """
    tokens = piece.tokens
    depth, stack = 0, []
    for i, tok in enumerate(tokens):
        if tok.token_type == TokenType.L_PAREN:
            depth += 1
            if i < index:
                stack.append(i)
        elif tok.token_type == TokenType.R_PAREN:
            depth -= 1
            if depth < 0:
                return False
            if i < index and stack:
                stack.pop()
    if depth != 1 or not stack:
        return False
    # Each distinct text once: `f(x` + `)` + `)` is the same text after `x` as after the `)`;
    # the later place is kept, where the new `)` closes the outer bracket.
    tried: dict[str, int] = {}
    for k in range(stack[-1], min(index, len(tokens) - 1) + 1):
        nxt = tokens[k + 1].token_type if k + 1 < len(tokens) else None
        if nxt in (TokenType.L_PAREN, TokenType.DOT) or tokens[k].token_type == TokenType.DOT:
            continue  # `f)(x`, `t).x`, `t.)x`: never meant, though sqlglot may read some
        local = piece.token_span(k)[1] - piece.base
        tried[piece.text[:local] + ")" + piece.text[local:]] = k
    if len(tried) > _MAX_TRIES:
        return False
    read = sorted(k for text, k in tried.items() if parses(text))
    # `COUNT(* AS n`: a `(` then `*` is only ever `(*)`, so the `)` goes right after the `*`.
    star = [i + 1 for i in range(stack[-1], min(index, len(tokens) - 2))
            if tokens[i].token_type == TokenType.L_PAREN and tokens[i + 1].token_type == TokenType.STAR
            and tokens[i + 2].token_type != TokenType.R_PAREN]
    if star:
        read = [k for k in read if k in star]
    if len(read) > 1:
        read = [k for k in read if not _leaves_literal(tokens, k, index)] or read
    if len(read) > 1:
        read = _before_line_clause(piece, read, stack[-1]) or read
    if len(read) > 1 and index - 1 in read and _one_connective(tokens, stack[-1], index):
        read = [index - 1]
    if len(read) != 1:
        return False
    k = read[0]
    at = piece.token_span(k)[1]
    opened = open_before(tokens, k + 1)
    report.add(codes.SQL_BRACKET, piece.token_span(opened), "unclosed `(`", label="this `(` is never closed",
               labels=[((at, at), "expected `)` here")], help=["add the missing `)`"],
               fixes=[report.fix("insert `)`", [(at, at, ")")], applicable=True)])
    return True


_CONDITION_START = frozenset({TokenType.WHERE, TokenType.HAVING, TokenType.ON, TokenType.AND, TokenType.OR,
                              TokenType.NOT, TokenType.WHEN})


def _one_connective(tokens: list[Token], opened: int, index: int) -> bool:
    """``WHERE (a > 5 AND b <> 'x'`` then a clause keyword: a condition's bracket whose terms are
    joined by one connective only, so closing it at the clause gives the same truth as anywhere
    between its terms (and a `)` inside a term would compare a truth value)."""
    if opened == 0 or tokens[opened - 1].token_type not in _CONDITION_START \
            or tokens[index].token_type not in CLAUSE_TYPES:
        return False
    depth, seen = 0, set()
    for tok in tokens[opened + 1:index]:
        if tok.token_type == TokenType.L_PAREN:
            depth += 1
        elif tok.token_type == TokenType.R_PAREN:
            depth -= 1
        elif depth == 0 and tok.token_type in (TokenType.AND, TokenType.OR):
            seen.add(tok.token_type)
        elif depth == 0 and tok.token_type in (TokenType.BETWEEN, TokenType.CASE, TokenType.SELECT):
            return False  # `BETWEEN a AND b`, a CASE, a subquery: its ANDs are not the condition's
    return len(seen) == 1


def _leaves_literal(tokens: list[Token], k: int, index: int) -> bool:
    """Whether a `)` after token ``k`` leaves ``, <literal>`` (up to ``index``) as an item of its own.

    An item of its own: the comma is then outside every bracket, or directly
    inside a subquery's bracket, where without the `)` it was inside a call.
    """
    before, after = _item_commas(tokens, index, None), _item_commas(tokens, index, k)
    for i in after - before:
        value = tokens[i + 1] if i + 1 < len(tokens) else None
        end = tokens[i + 2] if i + 2 < len(tokens) else None
        if value is not None and value.token_type in (TokenType.NUMBER, TokenType.STRING) \
                and (end is None or end.token_type in _ITEM_END):
            return True
    return False


def _item_commas(tokens: list[Token], index: int, close_after: int | None) -> set[int]:
    """The commas up to ``index`` that separate the items of a query (not a call's arguments),
    with a `)` inserted after token ``close_after``."""
    stack: list[int] = []
    out = set()
    for i, tok in enumerate(tokens[:index + 1]):
        kind = tok.token_type
        if kind == TokenType.L_PAREN:
            stack.append(i)
        elif kind == TokenType.R_PAREN and stack:
            stack.pop()
        elif kind == TokenType.COMMA and (
                not stack or tokens[stack[-1] + 1].token_type in (TokenType.SELECT, TokenType.WITH)):
            out.add(i)
        if i == close_after and stack:
            stack.pop()
    return out


def _before_line_clause(piece: Piece, read: list[int], opened: int) -> list[int]:
    """``read`` without the places past a line that ends where the next starts an outer clause.

    Outer: the clause keyword is first on its line, indented no deeper than
    the line holding the bracket ``opened``. When one place ends such a line,
    a bracket left open across it is not what was meant; the places before it
    stay. Empty when no single place ends such a line.
    """
    tokens = piece.tokens
    bracket_indent = _indent(piece, tokens[opened].start)
    out = []
    for k in read:
        if k + 1 >= len(tokens) or tokens[k + 1].token_type not in _LINE_CLAUSES:
            continue
        between = piece.text[tokens[k].end + 1:tokens[k + 1].start]
        if "\n" in between and _indent(piece, tokens[k + 1].start) <= bracket_indent \
                and "--" not in between and "/*" not in between:
            out.append(k)
    if len(out) != 1:
        return []
    return [k for k in read if k <= out[0]]


def _indent(piece: Piece, at: int) -> int:
    """The indentation of the line holding character ``at`` of the statement."""
    line_start = piece.text.rfind("\n", 0, at) + 1
    line = piece.text[line_start:]
    return len(line) - len(line.lstrip(" \t"))


def open_before(tokens: list[Token], index: int) -> int:
    """The innermost `(` still open before token ``index``."""
    stack: list[int] = []
    for i, tok in enumerate(tokens[:index]):
        if tok.token_type == TokenType.L_PAREN:
            stack.append(i)
        elif tok.token_type == TokenType.R_PAREN and stack:
            stack.pop()
    return stack[-1] if stack else 0
