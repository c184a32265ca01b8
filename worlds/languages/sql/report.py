"""Where things are in the SQL text, and the diagnostics found about them.

sqlglot records the position of identifiers, literals and most function
names in ``node.meta`` (offsets into the statement's text, end inclusive);
:class:`Piece` turns them into offsets into the whole program, and widens
them to a node's full extent (closing brackets included) with the
statement's tokens. :class:`Report` collects diagnostics with spans in the
original text.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

from sqlglot import exp
from sqlglot.tokenizer_core import Token, TokenType

from ...diagnostics import Diagnostic, Fix, Label, Offsets, Position, Severity, Span, TextEdit

Edit = tuple[int, int, str]  # start, end (offsets in the program), replacement


class Report:
    """The program's text and the diagnostics found in it."""

    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.diagnostics: list[Diagnostic] = []
        self._offsets = Offsets(self.text)

    def position(self, offset: int) -> Position:
        """The position of character ``offset`` (clamped into the text)."""
        return self._offsets.position(offset)

    def span(self, start: int, end: int) -> Span:
        """The span of characters ``start:end``."""
        return self._offsets.span(start, end)

    def fix(self, description: str, edits: Iterable[Edit], *, applicable: bool = False) -> Fix:
        return Fix(description=description, applicable=applicable,
                   edits=[TextEdit(span=self.span(s, e), replacement=r) for s, e, r in edits])

    def add(self, code: str, where: tuple[int, int] | None, message: str, *, label: str = "",
            severity: Severity = "error", notes: Sequence[str] = (), help: Sequence[str] = (),
            fixes: Sequence[Fix] = (), labels: Sequence[tuple[tuple[int, int], str]] = ()) -> Diagnostic:
        diag = Diagnostic(
            code=code, severity=severity, message=message, file=self.file,
            span=self.span(*where) if where else None, label=label if where else "",
            labels=[Label(span=self.span(*w), text=t) for w, t in labels],
            notes=list(notes), help=list(help), fixes=list(fixes))
        self.diagnostics.append(diag)
        return diag

    @property
    def failed(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)


class Piece:
    """One statement: where it starts in the program, its text and tokens."""

    def __init__(self, text: str, base: int, tokens: list[Token]) -> None:
        self.text = text
        self.base = base
        self.tokens = tokens
        self._starts = [t.start for t in tokens]
        self._items: dict[int, list[str] | None] = {}

    @property
    def end(self) -> int:
        return self.base + len(self.text)

    def at(self, node: exp.Expr) -> tuple[int, int] | None:
        """The program offsets of ``node``'s own token (an identifier, a literal, a function name)."""
        meta = node.meta if node._meta is not None else None  # reading .meta creates a dict
        if not meta or "start" not in meta:
            return None
        return self.base + meta["start"], self.base + meta["end"] + 1

    def extent(self, node: exp.Expr) -> tuple[int, int] | None:
        """The program offsets of all of ``node``: its tokens and brackets from first to last."""
        lo, hi = None, None
        for sub in node.walk():
            if sub._meta is not None and "start" in sub._meta:
                s, e = sub._meta["start"], sub._meta["end"] + 1
                lo = s if lo is None or s < lo else lo
                hi = e if hi is None or e > hi else hi
        if lo is None or hi is None:
            return None
        first = bisect.bisect_left(self._starts, lo)
        last = bisect.bisect_left(self._starts, hi)  # tokens before ``last`` lie inside
        depth = 0
        for tok in self.tokens[first:last]:
            depth += (tok.token_type == TokenType.L_PAREN) - (tok.token_type == TokenType.R_PAREN)
        while depth > 0 and last < len(self.tokens):  # a call's closing brackets
            tok = self.tokens[last]
            depth += (tok.token_type == TokenType.L_PAREN) - (tok.token_type == TokenType.R_PAREN)
            hi = tok.end + 1
            last += 1
        while depth < 0 and first > 0:  # brackets opened before the first named token: CAST(x ...)
            first -= 1
            tok = self.tokens[first]
            depth += (tok.token_type == TokenType.L_PAREN) - (tok.token_type == TokenType.R_PAREN)
            lo = tok.start
            if depth >= 0 and first > 0 and self.tokens[first - 1].token_type != TokenType.COMMA \
                    and tok.token_type == TokenType.L_PAREN:
                lo = self.tokens[first - 1].start  # the function or keyword before its bracket
        return self.base + lo, self.base + hi

    def token_index(self, offset: int) -> int:
        """Index of the first token starting at or after program ``offset``."""
        return bisect.bisect_left(self._starts, offset - self.base)

    def token_span(self, index: int) -> tuple[int, int]:
        tok = self.tokens[min(index, len(self.tokens) - 1)]
        return self.base + tok.start, self.base + tok.end + 1

    def keyword_before(self, offset: int, kind: TokenType) -> int | None:
        """Where the keyword of ``kind`` just before program ``offset`` starts, if it is there."""
        index = self.token_index(offset) - 1
        if 0 <= index < len(self.tokens) and self.tokens[index].token_type == kind:
            return self.token_span(index)[0]
        return None

    def source(self, where: tuple[int, int]) -> str:
        return self.text[where[0] - self.base: where[1] - self.base]

    def item_texts(self, sel: exp.Expr) -> list[str] | None:
        """The text of each select-list item of ``sel`` as written (None when it cannot be told)."""
        key = id(sel)
        if key not in self._items:
            self._items[key] = self._item_texts(sel)
        return self._items[key]

    def _item_texts(self, sel: exp.Expr) -> list[str] | None:
        items = sel.expressions
        starts = [s[0] for item in items[:1] if (s := self.extent(item)) is not None]
        if not items or not starts:
            return None
        index = self.token_index(starts[0]) - 1
        depth = 0
        kind: TokenType | None = None
        while index >= 0:
            kind = self.tokens[index].token_type
            if kind == TokenType.R_PAREN:
                depth += 1
            elif kind == TokenType.L_PAREN and depth > 0:
                depth -= 1
            elif kind == TokenType.SELECT and depth == 0:
                break
            index -= 1
        if index < 0:
            return None
        index += 1
        while index < len(self.tokens) and self.tokens[index].token_type in (TokenType.DISTINCT,
                                                                             TokenType.ALL):
            index += 1
            if index < len(self.tokens) and self.tokens[index].token_type == TokenType.ON:
                return None  # DISTINCT ON (...): not worth splitting
        texts: list[str] = []
        depth, begin = 0, index
        while index <= len(self.tokens):
            found = self.tokens[index] if index < len(self.tokens) else None
            kind = found.token_type if found is not None else None
            if found is None or (depth == 0 and (kind in _LIST_END or kind == TokenType.COMMA)) or \
                    (kind == TokenType.R_PAREN and depth == 0):
                if begin >= index:
                    return None
                first, last = self.tokens[begin], self.tokens[index - 1]
                texts.append(self.text[first.start: last.end + 1])
                if kind != TokenType.COMMA:
                    break
                begin = index + 1
            elif kind == TokenType.L_PAREN:
                depth += 1
            elif kind == TokenType.R_PAREN:
                depth -= 1
            index += 1
        return texts if len(texts) == len(items) else None


_LIST_END = frozenset({
    TokenType.FROM, TokenType.WHERE, TokenType.GROUP_BY, TokenType.ORDER_BY, TokenType.HAVING,
    TokenType.LIMIT, TokenType.UNION, TokenType.EXCEPT, TokenType.INTERSECT, TokenType.QUALIFY,
    TokenType.WINDOW, TokenType.FETCH, TokenType.OFFSET, TokenType.SEMICOLON, TokenType.INTO})
