"""SQL Server (T-SQL) and Oracle spellings, kept meaning what they mean there.

sqlglot reads both dialects and writes SQLite for many of their functions
(``ISNULL``, ``CHARINDEX``, ``IIF``, ``NVL``, ``DECODE``, ``TOP n``, ``OFFSET
... FETCH``, ``[names]``); this module covers what its SQLite output leaves
unrunnable or changes in meaning. It works in three steps of
:meth:`front._Compiler._statement`:

* :func:`prepare`, before names are resolved: ``FROM dual`` is dropped (a
  SELECT without FROM); Oracle's ``WHERE ROWNUM <= n`` becomes ``LIMIT n``
  where that is its meaning, and anywhere else it is a diagnostic
  (:mod:`.rownum`); ``TOP n PERCENT`` and ``WITH
  TIES`` are diagnostics; Oracle's ``TRUNC(d, 'MM')`` units are named.
* :func:`concatenate`, once types are known: T-SQL's ``+`` with text on one
  side and text or an unknown on the other is ``||``.
* :func:`rewrite`, called by :class:`.rewrite.Rewriter` on each node:
  ``DATEADD``/``DATEDIFF``/``ADD_MONTHS``/``MONTHS_BETWEEN`` call the
  :mod:`.datemath` helpers (month ends, boundaries crossed); ``DATEPART(weekday
  | week, d)`` count from Sunday as T-SQL does; ``LEN`` ignores trailing
  spaces; ``CAST(x AS VARCHAR(n))`` and ``CONVERT(VARCHAR(n), d, style)`` cut
  to ``n`` characters; Oracle's ``TRUNC(date)``, ``TO_CHAR(d, format)`` and
  ``TO_DATE(text, format)``.

``GETDATE()``, ``SYSDATETIME()``, ``SYSDATE`` and the like are
``CURRENT_TIMESTAMP``, which SQLite reads from the world's clock.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqlglot import exp
from sqlglot.tokenizer_core import TokenType

from ...diagnostics import codes
from .kinds import infer
from .report import Piece, Report
from .rownum import Rownum

if TYPE_CHECKING:
    from .names import Resolver
    from .rewrite import Rewriter

DIALECTS = frozenset({"tsql", "oracle"})

#: T-SQL's dateparts (sqlglot has already renamed some: mm -> MONTH, wk -> WEEK), canonical.
_TSQL_UNITS = {
    "year": "year", "yy": "year", "yyyy": "year", "quarter": "quarter", "qq": "quarter", "q": "quarter",
    "month": "month", "mm": "month", "m": "month", "dayofyear": "dayofyear", "dy": "dayofyear",
    "y": "dayofyear", "day": "day", "dd": "day", "d": "day", "week": "week", "wk": "week", "ww": "week",
    "weekday": "weekday", "dw": "weekday", "w": "weekday", "dayofweek": "weekday", "hour": "hour",
    "hh": "hour", "minute": "minute", "mi": "minute", "n": "minute", "second": "second", "ss": "second",
    "s": "second"}
#: Oracle's TRUNC(date, format) formats, as date_trunc units.
_ORACLE_TRUNC = {
    "yyyy": "year", "syyyy": "year", "yyy": "year", "yy": "year", "y": "year", "year": "year",
    "syear": "year", "q": "quarter", "mm": "month", "mon": "month", "month": "month", "rm": "month",
    "iw": "week", "dd": "day", "ddd": "day", "j": "day", "hh": "hour", "hh12": "hour", "hh24": "hour",
    "mi": "minute"}
#: CONVERT(VARCHAR, date, style): the styles whose text SQLite's strftime can write.
_STYLES = {
    23: "%Y-%m-%d", 120: "%Y-%m-%d %H:%M:%S", 20: "%Y-%m-%d %H:%M:%S", 121: "%Y-%m-%d %H:%M:%f",
    21: "%Y-%m-%d %H:%M:%f", 126: "%Y-%m-%dT%H:%M:%f", 112: "%Y%m%d", 101: "%m/%d/%Y", 102: "%Y.%m.%d",
    103: "%d/%m/%Y", 104: "%d.%m.%Y", 105: "%d-%m-%Y", 108: "%H:%M:%S", 110: "%m-%d-%Y", 111: "%Y/%m/%d"}
#: What SQLite 3.42's strftime writes; a format with anything else goes to the host.
_SQLITE_STRFTIME = re.compile(r"^(?:[^%]|%[dfHjJmMsSwWY%])*$")
#: Oracle format elements that SQLite's strftime writes the same way.
_ORACLE_SIMPLE = {"YYYY": "%Y", "MM": "%m", "DD": "%d", "HH24": "%H", "MI": "%M", "SS": "%S", "DDD": "%j"}
_DATE_ELEMENT = re.compile(r"YY|MM|DD|MON|DAY|DY|HH|MI|SS|Q", re.I)
_UTC_NOW = ("getutcdate", "sysutcdatetime", "sysdatetimeoffset")
_CHAR_TYPES = ("VARCHAR", "NVARCHAR", "CHAR", "NCHAR")
_DATE_MAKERS = ("date", "datetime", "worlds_strptime", "worlds_dateadd", "worlds_add_months")


def _fn(name: str, *args: exp.Expr) -> exp.Expr:
    return exp.Anonymous(this=name, expressions=list(args))


def _text(value: str) -> exp.Literal:
    return exp.Literal.string(value)


# -- before names are resolved ------------------------------------------------------------------


def prepare(tree: exp.Expr, dialect: str, piece: Piece, report: Report, names: frozenset[str]) -> None:
    """Rewrites and diagnostics that must come before name resolution (``names``: the world's
    table and column names, lower-cased: a real table ``dual`` or column ``rownum`` is kept)."""
    if dialect in ("oracle", "mysql") and "dual" not in names:
        for table in list(tree.find_all(exp.Table)):
            sel = table.parent.parent if isinstance(table.parent, exp.From) else None
            if table.name.lower() == "dual" and not table.db and isinstance(sel, exp.Select) \
                    and not sel.args.get("joins"):
                sel.set("from_", None)
    if dialect == "tsql":
        for sel in tree.find_all(exp.Select):
            _top_options(sel, piece, report)
        for node in list(tree.find_all(exp.Anonymous)):
            if node.name.lower() in _UTC_NOW and not node.expressions:
                node.replace(exp.CurrentTimestamp())  # the world's clock is UTC
    if dialect == "oracle":
        for stamp in list(tree.find_all(exp.Systimestamp)):
            stamp.replace(exp.CurrentTimestamp())
        for trunc in tree.find_all(exp.DateTrunc):
            unit = trunc.args.get("unit")
            if isinstance(unit, exp.Literal) and unit.name.lower() in _ORACLE_TRUNC:
                trunc.set("unit", _text(_ORACLE_TRUNC[unit.name.lower()]))
        if "rownum" not in names:
            Rownum(tree, piece, report).run()


def _top_options(sel: exp.Select, piece: Piece, report: Report) -> None:
    limit = sel.args.get("limit")
    if not isinstance(limit, exp.Limit):
        return
    options = limit.args.get("limit_options")
    if options is None or not (options.args.get("percent") or options.args.get("with_ties")):
        return
    top = next((i for i, t in enumerate(piece.tokens) if t.text.upper() == "TOP"), None)
    where = piece.extent(limit) or (piece.base, piece.end)
    if top is not None:
        last = next((i for i in range(top, len(piece.tokens))
                     if piece.tokens[i].text.upper() in ("PERCENT", "TIES")), top)
        where = (piece.token_span(top)[0], piece.token_span(last)[1])
    if options.args.get("percent"):
        report.add(codes.SQL_UNSUPPORTED, where, "`TOP ... PERCENT` has no equivalent in SQLite",
                   label="a share of the rows",
                   help=["number the rows and keep the share: `SELECT * FROM (SELECT ..., row_number() OVER "
                         "(ORDER BY k) AS rn, COUNT(*) OVER () AS n FROM t) WHERE rn <= (n * 10 + 99) / 100` "
                         "for the first 10 percent"])
    else:
        report.add(codes.SQL_UNSUPPORTED, where, "`TOP ... WITH TIES` has no equivalent in SQLite",
                   label="the rows tied with the last",
                   help=["rank the rows and keep the first: `SELECT * FROM (SELECT ..., rank() OVER "
                         "(ORDER BY k) AS r FROM t) WHERE r <= 3`"])


# -- once types are known -------------------------------------------------------------------------


def concatenate(tree: exp.Expr, res: Resolver) -> None:
    """T-SQL's ``a + b`` joins text: with text on one side and text or an unknown on the other."""
    for node in reversed(list(tree.walk())):
        if not isinstance(node, exp.Add):
            continue
        left, right = infer(node.this, res.types), infer(node.expression, res.types)
        if (left == "TEXT" and right in ("TEXT", None)) or (right == "TEXT" and left in ("TEXT", None)):
            node.replace(exp.DPipe(this=node.this, expression=node.expression, safe=True))


# -- rewrites ------------------------------------------------------------------------------------


def rewrite(rw: Rewriter, node: exp.Expr) -> exp.Expr | None:
    """The SQLite for one T-SQL or Oracle node, or None when the generic rewrites do."""
    if isinstance(node, (exp.StrToDate, exp.StrToTime)):
        return to_date(node)
    if rw.dialect == "tsql":
        return _tsql(rw, node)
    if rw.dialect == "postgres":  # Postgres's to_char has Oracle's format model
        return _to_char(rw, node) if isinstance(node, (exp.ToChar, exp.TimeToStr)) else None
    return _oracle(rw, node)


def to_date(node: exp.Expr) -> exp.Expr | None:
    """``TO_DATE(text, format)``, ``STR_TO_DATE``: SQLite's date() for ISO text; the host parses others."""
    fmt = node.args.get("format")
    if fmt is None:
        return _fn("date", node.this)
    if not isinstance(fmt, exp.Literal) or not fmt.is_string:
        return _fn("worlds_strptime", node.this, fmt)
    if fmt.this == "%Y-%m-%d":
        return _fn("date", node.this)
    if fmt.this in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
        return _fn("datetime", node.this)
    return _fn("worlds_strptime", node.this, fmt)


def _unit(rw: Rewriter, node: exp.Expr, allowed: tuple[str, ...]) -> str | None:
    unit = node.args.get("unit")
    name = unit.name.lower() if isinstance(unit, (exp.Var, exp.Literal, exp.Column)) else ""
    found = _TSQL_UNITS.get(name)
    if found in ("dayofyear", "weekday"):
        found = "day"  # DATEADD and DATEDIFF count these as days
    if found in allowed:
        return found
    where = (rw.piece.at(unit) if isinstance(unit, exp.Expr) else None) or rw.piece.extent(node)
    rw.res.report.add(codes.SQL_BAD_ARGUMENT, where, f"datepart `{name}` is not one worlds can count",
                      label="unknown or too fine a unit",
                      help=["use year, quarter, month, week, day, hour, minute or second"])
    return None


def _strip(value: exp.Expr) -> exp.Expr:
    """sqlglot wraps DATEDIFF's arguments in a text-to-time conversion; the helper reads text itself."""
    while isinstance(value, (exp.TimeStrToTime, exp.TsOrDsToDate)):
        value = value.this
    return value


def _tsql(rw: Rewriter, node: exp.Expr) -> exp.Expr | None:
    units = ("year", "quarter", "month", "week", "day", "hour", "minute", "second")
    if isinstance(node, exp.DateAdd):
        unit = _unit(rw, node, units)
        if unit is None:
            return None
        return _fn("worlds_dateadd", _text(unit), node.expression, _strip(node.this))
    if isinstance(node, exp.DateDiff):
        unit = _unit(rw, node, units)
        return None if unit is None else _fn("worlds_datediff", _text(unit), _strip(node.expression),
                                             _strip(node.this))
    if isinstance(node, exp.Extract):
        return _datepart(rw, node)
    if isinstance(node, exp.Length):
        # LEN counts the characters before trailing spaces.
        return exp.Length(this=_fn("rtrim", node.this, _text(" ")))
    if isinstance(node, exp.Convert):
        return _convert(rw, node)
    if isinstance(node, exp.Cast):
        return _cut(node.this, node.args.get("to"))
    if isinstance(node, exp.TimeToStr):
        fmt = node.args.get("format")
        if isinstance(fmt, exp.Literal) and not _SQLITE_STRFTIME.match(fmt.this):
            return _fn("worlds_strftime", node.this, fmt)
    return None


def _datepart(rw: Rewriter, node: exp.Extract) -> exp.Expr | None:
    unit = _TSQL_UNITS.get(node.this.name.lower() if isinstance(node.this, exp.Expr) else "")
    value = node.expression
    dow = exp.Cast(this=_fn("strftime", _text("%w"), value), to=exp.DataType.build("INTEGER"))
    if unit == "weekday":  # Sunday is 1, as with SQL Server's default DATEFIRST 7
        return exp.Add(this=dow, expression=exp.Literal.number(1))
    if unit == "week":  # the week holding January 1 is week 1; weeks start on Sunday
        jan1 = exp.Cast(this=_fn("strftime", _text("%w"), _fn("date", value, _text("start of year"))),
                        to=exp.DataType.build("INTEGER"))
        doy = exp.Cast(this=_fn("strftime", _text("%j"), value), to=exp.DataType.build("INTEGER"))
        return exp.Add(this=exp.Div(this=exp.Paren(this=exp.Sub(this=exp.Add(this=doy, expression=jan1),
                                                                 expression=exp.Literal.number(1))),
                                    expression=exp.Literal.number(7), typed=True),
                       expression=exp.Literal.number(1))
    if unit is not None:
        return rw._part({"dayofyear": "doy"}.get(unit, unit), value)
    return None


def _cut(value: exp.Expr, to: exp.Expr | None) -> exp.Expr | None:
    """``CAST(x AS VARCHAR(n))``: SQL Server keeps the first ``n`` characters; SQLite ignores ``n``."""
    if not isinstance(to, exp.DataType) or to.this.name not in _CHAR_TYPES or not to.expressions:
        return None
    size = to.expressions[0].this if isinstance(to.expressions[0], exp.DataTypeParam) else None
    if not isinstance(size, exp.Literal) or not size.this.isdigit():
        return None
    text = exp.Cast(this=value, to=exp.DataType.build("TEXT"))
    return exp.Substring(this=text, start=exp.Literal.number(1), length=exp.Literal.number(int(size.this)))


def _convert(rw: Rewriter, node: exp.Convert) -> exp.Expr | None:
    to, value, style = node.this, node.expression, node.args.get("style")
    if not isinstance(to, exp.DataType):
        return None
    if style is not None and to.this.name in _CHAR_TYPES:
        code = int(style.this) if isinstance(style, exp.Literal) and style.this.isdigit() else None
        fmt = _STYLES.get(code) if code is not None else None
        if fmt is None:
            rw.res.report.add(codes.SQL_BAD_ARGUMENT, rw.piece.at(style) or rw.piece.extent(node),
                              f"CONVERT style {style.sql()} is not one worlds writes",
                              label="unknown style",
                              help=["styles: 23 (yyyy-mm-dd), 120 (yyyy-mm-dd hh:mi:ss), 112 (yyyymmdd), "
                                    "101, 103, 104, 105, 108, 110, 111, 121, 126; or `strftime(format, d)`"])
            return exp.Cast(this=value, to=to)  # not run (the error stops it): no second diagnostic
        value = _fn("strftime", _text(fmt), value)
    return _cut(value, to) or exp.Cast(this=value, to=to)


def _oracle(rw: Rewriter, node: exp.Expr) -> exp.Expr | None:
    if isinstance(node, exp.AddMonths):
        return _fn("worlds_add_months", node.this, node.expression)
    if isinstance(node, exp.MonthsBetween):
        return _fn("worlds_months_between", node.this, node.expression)
    if isinstance(node, exp.Anonymous) and node.name.lower() == "trunc" and len(node.expressions) == 1:
        value = node.expressions[0]
        kind = rw._type(value)
        made = isinstance(value, exp.Anonymous) and value.name.lower() in _DATE_MAKERS
        if kind in ("TEXT", "DATE", "TIMESTAMP") or made:
            return _fn("date", value)  # a date's TRUNC is its day
        return None
    if isinstance(node, (exp.ToChar, exp.TimeToStr)):
        return _to_char(rw, node)
    return None


def _to_char(rw: Rewriter, node: exp.Expr) -> exp.Expr | None:
    """``TO_CHAR(d, format)`` in Oracle's (and Postgres's) format model."""
    fmt = node.args.get("format")
    if not isinstance(fmt, exp.Literal) or not fmt.is_string:
        return None if fmt is None else _fn("worlds_to_char", node.this, fmt)
    written = _written_format(rw.piece, node)
    # TO_CHAR(number, '999.99') formats a number: left to sqlglot (and its diagnostic).
    if written is None or rw._type(node.this) in ("INTEGER", "REAL") or not _DATE_ELEMENT.search(written):
        return None
    simple = _oracle_strftime(written)
    if simple is not None:
        return _fn("strftime", _text(simple), node.this)
    return _fn("worlds_to_char", node.this, _text(written))


def _written_format(piece: Piece, node: exp.Expr) -> str | None:
    """The format of ``TO_CHAR(d, 'Mon YYYY')`` as written: sqlglot translates it while reading
    when ``d`` is a date, and its translation loses elements (``Mon``, ``FMDay``, ``Q``)."""
    span = piece.extent(node)
    if span is None:
        return None
    first = piece.token_index(span[0])
    inside = [t for t in piece.tokens[first:] if piece.base + t.start < span[1]]
    if not inside or inside[0].text.upper() != "TO_CHAR":
        return None
    strings = [t for t in inside if t.token_type == TokenType.STRING]
    return strings[-1].text if strings else None


def _oracle_strftime(fmt: str) -> str | None:
    """An Oracle date format as SQLite's strftime, when only numbers and punctuation are in it."""
    out, i = [], 0
    while i < len(fmt):
        element = next((e for e in sorted(_ORACLE_SIMPLE, key=len, reverse=True)
                        if fmt[i:i + len(e)].upper() == e), None)
        if element is not None:
            out.append(_ORACLE_SIMPLE[element])
            i += len(element)
        elif fmt[i] in "-/:. ,":
            out.append(fmt[i])
            i += 1
        else:
            return None
    return "".join(out)
