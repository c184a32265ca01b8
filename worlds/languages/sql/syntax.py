"""Read one statement with sqlglot, and explain text that does not parse.

sqlglot stops at the first token it cannot use and says what it missed
("Expecting )", "Required keyword: 'this' missing for Where"). That token is
the primary span; the message names what was expected there, and the
common causes get their own help and fix: a misspelt keyword (``FORM``), a
missing ``BY`` or comma, an unclosed bracket or quote, T-SQL's ``TOP``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokenizer_core import Token, TokenType

from ...diagnostics import codes
from .closing import CLAUSE_TYPES as _CLAUSE_TYPES
from .closing import missing_close, open_before
from .report import Piece, Report
from .split import scan
from .suggest import distance

_CLAUSES = ("SELECT", "FROM", "WHERE", "GROUP", "ORDER", "HAVING", "LIMIT", "JOIN", "UNION", "OFFSET",
            "INNER", "LEFT", "OUTER", "BETWEEN", "DISTINCT", "VALUES", "PARTITION", "QUALIFY", "WINDOW")
_STARTS = ("SELECT", "WITH", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "VALUES", "EXPLAIN",
           "PRAGMA", "REPLACE")
_VALUE_END = frozenset({TokenType.VAR, TokenType.IDENTIFIER, TokenType.NUMBER, TokenType.STRING,
                        TokenType.R_PAREN, TokenType.STAR, TokenType.NULL, TokenType.TRUE, TokenType.FALSE})
_WHAT = {
    "where": "a condition", "having": "a condition", "limit": "a number of rows",
    "offset": "a number of rows", "from": "a table", "join": "a table", "group": "the columns to group by",
    "order": "the columns to sort by",
    "select": "the columns to select", "in": "a list of values or a subquery", "case": "WHEN ... THEN ...",
    "alias": "a name", "tablealias": "a name", "cast": "a type",
}
_CLAUSE_OF = {
    "where": TokenType.WHERE, "having": TokenType.HAVING, "limit": TokenType.LIMIT,
    "offset": TokenType.OFFSET, "order": TokenType.ORDER_BY, "group": TokenType.GROUP_BY,
    "from": TokenType.FROM, "join": TokenType.JOIN, "select": TokenType.SELECT, "in": TokenType.IN,
    "case": TokenType.CASE}
_ARGUMENTS = re.compile(r"number of provided arguments \((\d+)\) is (greater|less) than the "
                        r"(?:maximum|minimum) number of (?:supported|required) arguments \((\d+)\)")
_REQUIRED = re.compile(r"Required keyword: '(\w+)' missing for <class '[\w.]*\.(\w+)'>")


def read(text: str, base: int, dialect: str, report: Report,
         names: frozenset[str] = frozenset()) -> tuple[exp.Expr | None, Piece | None]:
    """The statement ``text`` (at ``base`` in the program) parsed as ``dialect``, or a diagnostic.

    ``names`` are the world's table and column names (lower-cased), which a
    keyword-typo guess must never "correct".
    """
    reader = Dialect.get_or_raise(dialect)
    try:
        tokens = reader.tokenize(text)
    except TokenError:
        _token_error(text, base, report)
        return None, None
    piece = Piece(text, base, tokens)
    if not tokens:
        return None, None
    try:
        trees = reader.parser().parse(tokens, text)
    except ParseError as err:
        _parse_error(err, piece, report, names, lambda fixed: _parses(reader, fixed))
        return None, piece
    except RecursionError:
        report.add(codes.SQL_PARSE, (base, piece.end), "this statement is nested too deeply to read",
                   label="too deep", help=["split it into steps with `WITH name AS (...)`"])
        return None, piece
    return next((t for t in trees if t is not None), None), piece


def _parses(reader: Dialect, text: str) -> bool:
    """Whether ``text`` reads as one or more statements of ``reader``'s dialect."""
    try:
        return any(t is not None for t in reader.parser().parse(reader.tokenize(text), text))
    except (ParseError, TokenError, RecursionError):
        return False


def _token_error(text: str, base: int, report: Report) -> None:
    found = scan(text).unclosed
    if found is None:
        report.add(codes.SQL_PARSE, (base, base + len(text)), "this statement cannot be read as SQL",
                   label="here", help=["check the quotes and brackets"])
        return
    start = base + found.start
    if found.kind == "comment":
        report.add(codes.SQL_UNTERMINATED, (start, start + 2), "unterminated comment",
                   label="this `/*` is never closed", help=["end the comment with `*/`"],
                   fixes=[report.fix("close the comment", [(base + len(text), base + len(text), " */")],
                                     applicable=True)])
        return
    what = "string" if found.kind == "string" else "quoted name"
    help_ = [f"end the {what} with {found.quote}"]
    if found.quote == "'":
        help_.append("a quote inside text is written twice: 'it''s'")
    report.add(codes.SQL_UNTERMINATED, (start, start + len(found.quote)), f"unterminated {what}",
               label=f"this {found.quote} is never closed", help=help_)


def _parse_error(err: ParseError, piece: Piece, report: Report, names: frozenset[str],
                 parses: Callable[[str], bool]) -> None:
    info = err.errors[0] if err.errors else {}
    description = str(info.get("description") or err)
    index = _token_at(piece, info.get("line"), info.get("col"))
    tokens = piece.tokens
    tok = tokens[index]
    where = piece.token_span(index)
    shown = _shown(tok)
    if _statement_typo(piece, report, names) or missing_close(piece, report, index, parses) \
            or _unbalanced(piece, report, index, description):
        return
    if _keyword_typo(piece, report, index, names) or _sort_typo(piece, report, index, names) \
            or _missing_by(piece, report, index, names):
        return
    if _top(piece, report, index):
        return
    counted = _ARGUMENTS.search(description)
    if counted:
        _argument_count(piece, report, index, int(counted.group(1)), counted.group(2), int(counted.group(3)))
        return
    required = _REQUIRED.search(description)
    if required:
        key, cls = required.group(1), required.group(2).lower()
        what = _WHAT.get(cls, "an expression" if key in ("this", "expression") else f"its {key}")
        at = _clause_token(piece, index, cls)
        report.add(codes.SQL_PARSE, piece.token_span(at), f"expected {what} after {_shown(tokens[at])}",
                   label=f"{what} should follow", notes=[_reading(description)])
        return
    if description.startswith("Expecting "):
        wanted = description.removeprefix("Expecting ").strip()
        report.add(codes.SQL_PARSE, where, f"expected `{wanted}`, found {shown}",
                   label=f"expected `{wanted}`")
        return
    if description.startswith("Expected "):
        report.add(codes.SQL_PARSE, where, f"{description[0].lower()}{description[1:]}".rstrip("."),
                   label="here")
        return
    if "Unexpected token" in description or "Invalid expression" in description:
        if _missing_separator(piece, report, index, names):
            return
        report.add(codes.SQL_PARSE, where, f"unexpected {shown}", label="not expected here",
                   help=_reserved_help(tok))
        return
    report.add(codes.SQL_PARSE, where, f"cannot read the statement at {shown}", label="here",
               notes=[_reading(description)])


def _argument_count(piece: Piece, report: Report, index: int, given: int, more: str, limit: int) -> None:
    """``SUM(a, 2)``: the span is the function's name, found from the bracket where reading stopped."""
    tokens = piece.tokens
    depth, at = 0, index
    while at >= 0:
        kind = tokens[at].token_type
        if kind == TokenType.R_PAREN:
            depth += 1
        elif kind == TokenType.L_PAREN:
            depth -= 1
            if depth <= 0:
                break
        at -= 1
    name_at = at - 1 if at > 0 else index
    name = tokens[name_at].text
    bound = "at most" if more == "greater" else "at least"
    help_ = ["check the brackets: the last arguments may belong to the call around it"] \
        if more == "greater" else []
    report.add(codes.SQL_BAD_ARGUMENT, piece.token_span(name_at),
               f"`{name}` takes {bound} {limit} argument{'s' if limit != 1 else ''}, not {given}",
               label="wrong number of arguments", help=help_)


def _clause_token(piece: Piece, index: int, cls: str) -> int:
    """The keyword (``WHERE``, ``LIMIT``, ``=``...) whose operand is missing, at or before ``index``."""
    kind = _CLAUSE_OF.get(cls)
    if kind is not None:
        for at in range(index, max(index - 3, -1), -1):
            if piece.tokens[at].token_type == kind:
                return at
    return index


def _reading(description: str) -> str:
    text = re.sub(r"<class '[\w.]*\.(\w+)'>", r"\1", description)
    return f"the parser said: {text.strip()}"


def _shown(tok: Token) -> str:
    if tok.token_type == TokenType.STRING:
        return "a string"
    if tok.token_type == TokenType.NUMBER:
        return f"`{tok.text}`"
    return f"`{tok.text}`"


def _token_at(piece: Piece, line: object, col: object) -> int:
    """Index of the token sqlglot's error names (its line and last column)."""
    if isinstance(line, int) and isinstance(col, int):
        for i, tok in enumerate(piece.tokens):
            if tok.line == line and tok.col == col:
                return i
        for i, tok in enumerate(piece.tokens):
            if tok.line > line or (tok.line == line and tok.col >= col):
                return i
    return len(piece.tokens) - 1


def _reserved_help(tok: Token) -> list[str]:
    if tok.token_type not in (TokenType.VAR, TokenType.NUMBER, TokenType.STRING) and tok.text.isalpha():
        return [f"`{tok.text}` is a keyword; to use it as a name, quote it: \"{tok.text}\""]
    return []


# -- common causes --------------------------------------------------------------------------


def _statement_typo(piece: Piece, report: Report, names: frozenset[str]) -> bool:
    first = piece.tokens[0]
    if first.token_type != TokenType.VAR or first.text.lower() in names:
        return False
    best = _close_keyword(first.text, _STARTS)
    if best is None:
        return False
    where = piece.token_span(0)
    report.add(codes.SQL_PARSE, where, f"`{first.text}` is not a SQL statement",
               label=f"did you mean `{best}`?",
               fixes=[report.fix(f"write `{best}`", [(*where, best)], applicable=True)])
    return True


def _close_keyword(word: str, keywords: tuple[str, ...]) -> str | None:
    upper = word.upper()
    if upper in keywords or len(upper) < 3:
        return None
    limit = 1 if len(upper) <= 4 else 2
    scored = sorted((distance(upper, k), k) for k in keywords)
    if scored and scored[0][0] <= limit and (len(scored) == 1 or scored[1][0] > scored[0][0]):
        return scored[0][1]
    return None


def _keyword_typo(piece: Piece, report: Report, index: int, names: frozenset[str]) -> bool:
    for i in range(index, max(index - 3, 0), -1):
        tok = piece.tokens[i]
        if tok.token_type != TokenType.VAR or tok.text.lower() in names:
            continue
        # A word the statement writes more than once is a name it defines (`AS units`), not a slip.
        word = tok.text.lower()
        if sum(t.token_type == TokenType.VAR and t.text.lower() == word for t in piece.tokens) > 1:
            continue
        best = _close_keyword(tok.text, _CLAUSES)
        if best is None:
            continue
        where = piece.token_span(i)
        report.add(codes.SQL_PARSE, where, f"`{tok.text}` is not a keyword", label=f"did you mean `{best}`?",
                   fixes=[report.fix(f"write `{best}`", [(*where, best)], applicable=True)])
        return True
    return False


def _misspelt_by(tok: Token, names: frozenset[str]) -> bool:
    """``YB``, ``BYY``, ``BT``: a word one edit from ``BY`` that names nothing in the world."""
    word = tok.text
    return tok.token_type == TokenType.VAR and word.lower() not in names and word.upper() != "BY" \
        and word.isalpha() and len(word) >= 2 and distance(word, "BY") <= 1


def _missing_by(piece: Piece, report: Report, index: int, names: frozenset[str]) -> bool:
    for i in (index - 1, index):
        if i < 0:
            continue
        tok = piece.tokens[i]
        nxt = piece.tokens[i + 1] if i + 1 < len(piece.tokens) else None
        if tok.text.upper() in ("GROUP", "ORDER", "PARTITION") and (nxt is None or nxt.text.upper() != "BY"):
            where = piece.token_span(i)
            word = tok.text.upper()
            after = piece.tokens[i + 2] if i + 2 < len(piece.tokens) else None
            # `GROUP YB region`: the word is in BY's place (something follows it), not a grouping key.
            if nxt is not None and _misspelt_by(nxt, names) and after is not None \
                    and after.token_type not in _CLAUSE_TYPES:
                typo = piece.token_span(i + 1)
                report.add(codes.SQL_PARSE, typo, f"`{nxt.text}` is not a keyword",
                           label="did you mean `BY`?",
                           fixes=[report.fix(f"write `{word} BY`", [(*typo, "BY")], applicable=True)])
                return True
            report.add(codes.SQL_PARSE, where, f"expected `BY` after `{tok.text}`", label=f"`{word} BY`",
                       fixes=[report.fix(f"write `{word} BY`", [(where[1], where[1], " BY")],
                                         applicable=True)])
            return True
    return False


def _top(piece: Piece, report: Report, index: int) -> bool:
    tokens = piece.tokens
    for i in range(max(index - 1, 0), index + 1):
        if tokens[i].text.upper() == "TOP" and i + 1 < len(tokens) \
                and tokens[i + 1].token_type == TokenType.NUMBER:
            start, _ = piece.token_span(i)
            _, end = piece.token_span(i + 1)
            count = tokens[i + 1].text
            gap = end + 1 if piece.text[end - piece.base: end - piece.base + 1] == " " else end
            report.add(codes.SQL_PARSE, (start, end), "`TOP` is not SQLite syntax",
                       label="T-SQL's row limit", help=[f"write `LIMIT {count}` at the end of the query"],
                       fixes=[report.fix(f"write `LIMIT {count}` at the end",
                                         [(start, gap, ""), (piece.end, piece.end, f" LIMIT {count}")],
                                         applicable=True)])
            return True
    return False


def _unbalanced(piece: Piece, report: Report, index: int, description: str) -> bool:
    opened: list[int] = []
    for i, tok in enumerate(piece.tokens):
        if tok.token_type == TokenType.L_PAREN:
            opened.append(i)
        elif tok.token_type == TokenType.R_PAREN:
            if not opened:
                where = piece.token_span(i)
                report.add(codes.SQL_BRACKET, where, "unmatched `)`", label="this `)` closes nothing",
                           help=["remove it, or add the `(` it was meant to close"],
                           fixes=[report.fix("remove the `)`", [(*where, "")])])
                return True
            opened.pop()
    if not opened or not (description.startswith("Expecting )") or index >= len(piece.tokens) - 1):
        return False
    tokens = piece.tokens
    # The bracket open where reading stopped; with one `)` missing, where it goes was tried
    # place by place (`_missing_close`) and was not clear, so the fix below is a guess.
    inner = open_before(tokens, index) if index > 0 else opened[-1]
    start = piece.token_span(inner if tokens[inner].token_type == TokenType.L_PAREN else opened[-1])
    # Close it before the clause keyword where reading stopped, or at the end of the statement.
    if tokens[index].token_type in _CLAUSE_TYPES and index > 0:
        at = piece.token_span(index - 1)[1]
    elif index >= len(tokens) - 1:
        at = piece.end
    else:
        at = piece.token_span(index - 1)[1] if index > 0 else piece.end
    sure = len(opened) > 1 and (index >= len(tokens) - 1 or tokens[index].token_type in _CLAUSE_TYPES)
    report.add(codes.SQL_BRACKET, start, "unclosed `(`", label="this `(` is never closed",
               labels=[((at, at), "expected `)` here")],
               help=["add the missing `)`"],
               fixes=[report.fix("insert `)`", [(at, at, ")")], applicable=sure)])
    return True


def _missing_separator(piece: Piece, report: Report, index: int, names: frozenset[str]) -> bool:
    """``SELECT region SUM(units)``: a value right after another, where a comma (or AND) was meant."""
    tokens = piece.tokens
    if index < 2:
        return False
    tok, prev, before = tokens[index], tokens[index - 1], tokens[index - 2]
    # `region SUM(` was read as `region AS SUM`, then `(` made no sense: the comma goes after `region`.
    if tok.token_type == TokenType.L_PAREN and prev.token_type == TokenType.VAR \
            and before.token_type in _VALUE_END:
        gap = piece.token_span(index - 2)[1]
        after = f"`{before.text}`" if before.token_type != TokenType.STRING else "the string"
    elif tok.token_type in _VALUE_END and prev.token_type in _VALUE_END:
        gap = piece.token_span(index - 1)[1]
        after = f"`{prev.text}`" if prev.token_type != TokenType.STRING else "the string"
    else:
        return False
    clause = _clause_of(tokens, index)
    if clause in ("WHERE", "HAVING", "ON", "WHEN"):
        report.add(codes.SQL_PARSE, piece.token_span(index), f"unexpected {_shown(tok)}",
                   label="two conditions with nothing between them",
                   help=[f"join conditions with `AND` or `OR` after {after}"],
                   fixes=[report.fix("insert `AND`", [(gap, gap, " AND")])])
        return True
    # Safe only when what follows can stand as an item: a known name, a literal, a call.
    item = tok.token_type != TokenType.VAR or tok.text.lower() in names or (
        index + 1 < len(tokens) and tokens[index + 1].token_type == TokenType.L_PAREN)
    report.add(codes.SQL_PARSE, piece.token_span(index), f"unexpected {_shown(tok)}",
               label=f"expected `,` after {after}", help=["separate the items of a list with commas"],
               fixes=[report.fix("insert `,`", [(gap, gap, ",")],
                                 applicable=clause in ("SELECT", "BY") and item)])
    return True


def _sort_typo(piece: Piece, report: Report, index: int, names: frozenset[str]) -> bool:
    """``ORDER BY total DESX``: a misspelt ``DESC`` or ``ASC`` after a sort key, not a missing comma."""
    tokens = piece.tokens
    tok = tokens[index]
    if index < 1 or tok.token_type != TokenType.VAR or tok.text.lower() in names \
            or tokens[index - 1].token_type not in _VALUE_END or not _order_clause(tokens, index):
        return False
    word = tok.text.upper()
    meant = [k for k in ("DESC", "ASC") if distance(word, k) <= 1 and word != k]
    if len(meant) != 1:
        return False
    where = piece.token_span(index)
    report.add(codes.SQL_PARSE, where, f"`{tok.text}` is not a keyword", label=f"did you mean `{meant[0]}`?",
               fixes=[report.fix(f"write `{meant[0]}`", [(*where, meant[0])], applicable=True)])
    return True


def _order_clause(tokens: list[Token], index: int) -> bool:
    """Whether token ``index`` is in an ORDER BY list (of the query, a window or an aggregate)."""
    depth = 0
    for tok in reversed(tokens[:index]):
        if tok.token_type == TokenType.R_PAREN:
            depth += 1
        elif tok.token_type == TokenType.L_PAREN:
            if depth == 0:
                return False
            depth -= 1
        elif depth == 0 and tok.token_type == TokenType.ORDER_BY:
            return True
        elif depth == 0 and tok.token_type in _CLAUSE_TYPES | {TokenType.SELECT}:
            return False
    return False


def _clause_of(tokens: list[Token], index: int) -> str:
    depth = 0
    for tok in reversed(tokens[:index]):
        if tok.token_type == TokenType.R_PAREN:
            depth += 1
        elif tok.token_type == TokenType.L_PAREN:
            depth -= 1
        elif depth <= 0 and tok.token_type in (TokenType.SELECT, TokenType.WHERE, TokenType.HAVING,
                                                TokenType.ON, TokenType.WHEN, TokenType.GROUP_BY,
                                                TokenType.ORDER_BY, TokenType.FROM):
            return "BY" if tok.token_type in (TokenType.GROUP_BY, TokenType.ORDER_BY) else tok.text.upper()
    return ""


def trailing_commas(piece: Piece, report: Report) -> None:
    """``SELECT a, b, FROM t``: sqlglot reads past it, SQLite does not."""
    tokens = piece.tokens
    for i, tok in enumerate(tokens[:-1]):
        nxt = tokens[i + 1]
        if tok.token_type == TokenType.COMMA and nxt.token_type in (TokenType.FROM, TokenType.R_PAREN):
            where = piece.token_span(i)
            what = "`FROM`" if nxt.token_type == TokenType.FROM else "`)`"
            report.add(codes.SQL_PARSE, where, f"a comma before {what}", label="nothing follows this comma",
                       help=["remove the comma after the last item"],
                       fixes=[report.fix("remove the comma", [(*where, "")], applicable=True)])
