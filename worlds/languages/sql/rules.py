"""Checks on resolved statements: types, NULL comparisons, LIMIT, functions (grouping: :mod:`.grouping`).

Each check reads the scopes the resolver built (:mod:`.names`), so it knows
which table every column comes from and what type it has. Errors are
reserved for what is certainly a mistake (SQLite would return an arbitrary
or always-empty answer); fragile meanings are warnings.
"""

from __future__ import annotations

import re

from sqlglot import exp
from sqlglot.tokenizer_core import TokenType

from ...diagnostics import codes
from . import facts
from .builtins import TABLE_FUNCTIONS
from .functions import FOREIGN, WINDOW_ONLY, callable_names, date_trunc_units, polyfills
from .grouping import Grouping, aggregates_in, window_parent
from .kinds import infer
from .names import Resolver
from .report import Piece, Report
from .suggest import clear_best, nearest

_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)
_ARITHMETIC = (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod)
_NUMBER = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")
_UNQUOTED_DATE = re.compile(r"^\d{4}\s*-\s*\d{1,2}\s*-\s*\d{1,2}$")
#: Functions renamed in the fix of an unknown-function diagnostic (same arguments, same meaning).
RENAMES = {"nvl": "coalesce", "len": "length", "char_length": "length", "character_length": "length",
           "lcase": "lower", "ucase": "upper"}
_EXTRACT_UNITS = frozenset({"year", "years", "month", "months", "day", "days", "hour", "hours", "minute",
                            "minutes", "second", "seconds", "dow", "dayofweek", "isodow", "doy", "dayofyear",
                            "week", "weeks", "quarter", "epoch", "isoyear", "weekday", "day_of_week",
                            "day_of_year", "yearofweek", "millennium", "century", "decade"})


class Rules:
    """The checks of one statement, after its names are resolved."""

    def __init__(self, res: Resolver, report: Report, piece: Piece, dialect: str) -> None:
        self.res = res
        self.report = report
        self.piece = piece
        self.dialect = dialect

    def run(self, tree: exp.Expr) -> None:
        self.ctes = {c.alias_or_name.lower(): c.this for c in tree.find_all(exp.CTE)}
        grouping = Grouping(self.res, self.report, self.piece)
        for scope in self.res.scopes:
            grouping.check(scope)
        nodes = list(tree.walk())
        self.limits(nodes)
        self.expressions(nodes)

    # -- LIMIT ------------------------------------------------------------------------------

    def limits(self, nodes: list[exp.Expr]) -> None:
        for node in nodes:
            if not isinstance(node, (exp.Select, exp.SetOperation)):
                continue
            limit = node.args.get("limit")
            if limit is None or node.args.get("order") is not None:
                continue
            if isinstance(node, exp.Select):
                if node.args.get("from_") is None:
                    continue
                if node.args.get("group") is None and any(True for e in node.expressions
                                                          for _ in aggregates_in(e)):
                    continue  # one row anyway
                if isinstance(node.parent, exp.SetOperation):
                    continue
            count = limit.args.get("expression") or limit.args.get("count")
            if isinstance(count, exp.Literal) and count.this in ("0", "1") and isinstance(node.parent,
                                                                                          exp.Exists):
                continue
            span = self.piece.extent(limit)
            keyword = self.piece.keyword_before(span[0], limit_token(limit)) if span else None
            where = (keyword, span[1]) if span and keyword is not None else span
            self.report.add(codes.SQL_LIMIT_ORDER, where, "LIMIT without ORDER BY", severity="warning",
                            label="which rows are kept is not defined",
                            notes=["without ORDER BY the rows come in whatever order the engine scans them"],
                            help=["add ORDER BY before LIMIT to say which rows you want"])

    # -- expressions ------------------------------------------------------------------------------

    def expressions(self, nodes: list[exp.Expr]) -> None:
        for node in nodes:
            if isinstance(node, (exp.EQ, exp.NEQ)):
                self.null_compare(node)
            if isinstance(node, _COMPARISONS + (exp.Between, exp.In)):
                self.compare_types(node)
            elif isinstance(node, _ARITHMETIC):
                self.arithmetic(node)
            elif isinstance(node, exp.Anonymous):
                self.function(node)
            elif isinstance(node, exp.Literal) and node.is_string and self.dialect == "mysql":
                self.mysql_text(node)
            elif isinstance(node, (exp.DateTrunc, exp.TimestampTrunc)):
                self.trunc_unit(node)
            elif isinstance(node, exp.Extract):
                self.extract_unit(node)
            if isinstance(node, (exp.Sum, exp.Avg)) or \
                    (isinstance(node, exp.Anonymous) and node.name.lower() == "total"):
                arg = node.this if not isinstance(node, exp.Anonymous) else (node.expressions or [None])[0]
                if isinstance(arg, exp.Column):
                    self.text_arithmetic(arg, node)
            if isinstance(node, exp.Func) and _is_window_only(node) and window_parent(node) is None:
                self.report.add(codes.SQL_WINDOW_PLACE, self.piece.extent(node),
                                f"`{_func_name(node)}()` is a window function and needs OVER (...)",
                                label="no OVER clause",
                                help=[f"write `{_func_name(node)}() OVER (ORDER BY ...)`"])

    def mysql_text(self, node: exp.Literal) -> None:
        """MySQL reads "tier" as text: a warning when the text is the name of a column in scope."""
        where = self.piece.at(node)
        if where is None or not self.piece.source(where).startswith('"'):
            return
        columns = {name.lower(): name for scope in self.res.scopes for src in scope.sources.values()
                   for name, _ in (src.relation.columns or {}).values()}
        name = columns.get(node.this.lower())
        if name is None:
            return
        self.report.add(codes.SQL_DOUBLE_QUOTED, where,
                        f"\"{node.this}\" is text here, not the column `{name}`",
                        severity="warning", label="MySQL reads double quotes as text",
                        notes=["this query uses backticks, so it is read as MySQL, where \"x\" is a string"],
                        help=[f"write `{name}` (in backticks) for the column"],
                        fixes=[self.report.fix(f"write `{name}`", [(*where, f"`{name}`")], applicable=True)])

    def null_compare(self, node: exp.Expr) -> None:
        left, right = node.this, node.expression
        if isinstance(right, exp.Null):
            value = left
        elif isinstance(left, exp.Null):
            value = right
        else:
            return
        inner = self.piece.extent(value)
        if inner is None:
            return
        # NULL has no recorded position: it is the token after the operator that follows the value.
        index = self.piece.token_index(inner[1])
        tokens = self.piece.tokens
        if value is right or index + 1 >= len(tokens) or tokens[index + 1].token_type != TokenType.NULL:
            return
        span = (inner[0], self.piece.token_span(index + 1)[1])
        test = "IS NULL" if isinstance(node, exp.EQ) else "IS NOT NULL"
        text = self.piece.source(inner)
        op = tokens[index].text
        self.report.add(codes.SQL_NULL_COMPARE, span, f"`{op} NULL` is never true", severity="warning",
                        label="a comparison with NULL gives NULL", help=[f"write `{text} {test}`"],
                        fixes=[self.report.fix(f"write `{test}`", [(*span, f"{text} {test}")],
                                               applicable=True)])

    def compare_types(self, node: exp.Expr) -> None:
        left = node.this
        if isinstance(node, exp.In):
            others = list(node.expressions)
        elif isinstance(node, exp.Between):
            others = [node.args.get("low"), node.args.get("high")]
        else:
            others = [node.expression]
        pairs = [(left, o) for o in others if o is not None]
        if not isinstance(node, (exp.In, exp.Between)) and others and others[0] is not None:
            pairs.append((others[0], left))  # `'abc' < units` as well as `units > 'abc'`
        for a, b in pairs:
            if self._unquoted_date(b):
                return
            if isinstance(a, exp.Column) and self._t_against_datetime(node, a, b):
                return
            kind = infer(a, self.res.types) if isinstance(a, exp.Column) else None
            if kind in ("INTEGER", "REAL") and isinstance(b, exp.Literal) and b.is_string \
                    and not _NUMBER.match(b.this):
                where = self.piece.extent(node)
                self.report.add(
                    codes.SQL_TYPE, where, f"`{a.sql()}` is a number, compared with the text '{b.this}'",
                    label="a number compared with text",
                    notes=[f"`{a.name}` holds {kind} values; in SQLite a number is never equal to text "
                           "and always sorts before it, so this comparison cannot mean what it says"],
                    help=["compare with a number, or compare a text column"])
                return

    def _t_against_datetime(self, node: exp.Expr, col: exp.Column, other: exp.Expr) -> bool:
        """A column of ISO times with a ``T`` compared with ``datetime()``'s output, which has a space:
        as text, every time of a day sorts after the whole of that day's ``datetime()`` values."""
        if not (isinstance(other, exp.Anonymous) and other.name.lower() == "datetime"):
            return False
        found = self.input_column(col)
        example = facts.t_form(self.res.catalog.schema, *found) if found else None
        span = self.piece.extent(col)
        if example is None or span is None:
            return False
        text = self.piece.source(span)
        self.report.add(codes.SQL_TYPE, span,
                        f"`{text}` is ISO text with a 'T', compared with datetime()'s text, which has "
                        "a space",
                        severity="warning", label=f"holds values like '{example}'",
                        notes=["both are compared as text: '2024-02-01T00:10' sorts after "
                               "'2024-02-01 23:50', so the comparison is true or false for the whole day"],
                        help=[f"compare `datetime({text})`: it reads the T form and writes it with a space"],
                        # In BETWEEN the other bound may be such a column too: the fix alone may not do.
                        fixes=[self.report.fix(f"write `datetime({text})`", [(*span, f"datetime({text})")],
                                               applicable=not isinstance(node, exp.Between))])
        return True

    def _unquoted_date(self, node: exp.Expr) -> bool:
        """``2024-03-01`` written without quotes: arithmetic, not a date."""
        if not isinstance(node, exp.Sub) or not isinstance(node.this, exp.Sub):
            return False
        parts = [node.this.this, node.this.expression, node.expression]
        if not all(isinstance(p, exp.Literal) and not p.is_string and p.this.isdigit() for p in parts):
            return False
        span = self.piece.extent(node)
        if span is None:
            return False
        text = self.piece.source(span)
        if not _UNQUOTED_DATE.match(text):
            return False
        value = int(parts[0].this) - int(parts[1].this) - int(parts[2].this)
        date = re.sub(r"\s+", "", text)
        self.report.add(codes.SQL_TYPE, span, f"`{text}` is arithmetic, not a date",
                        label=f"this is the number {value}",
                        notes=["dates in a world are ISO text, compared as text: write them in quotes"],
                        help=[f"write '{date}'"],
                        fixes=[self.report.fix(f"write '{date}'", [(*span, f"'{date}'")], applicable=True)])
        return True

    def arithmetic(self, node: exp.Expr) -> None:
        if self._unquoted_date(node):
            return
        for side in (node.this, node.expression):
            if isinstance(side, exp.Column):
                self.text_arithmetic(side, node)
        if isinstance(node, exp.Div) and self.dialect in ("sqlite", "postgres"):
            self.int_division(node)

    def text_arithmetic(self, col: exp.Column, node: exp.Expr) -> None:
        if infer(col, self.res.types) != "TEXT":
            return
        origin = self.input_column(col)
        if origin is None:
            return
        share, dates = facts.numeric_share(self.res.catalog.schema, *origin)
        if share is None or share > 0:
            return  # some values are numbers: maybe meant; SQLite converts those
        what = "sum" if isinstance(node, (exp.Sum, exp.Anonymous)) else "average" if isinstance(node,
                                                                                                exp.Avg) \
            else "arithmetic"
        notes = [f"`{col.name}` is a TEXT column and none of its values is a number; SQLite computes "
                 "with 0 for each (a date gives its year)"]
        help_ = ["for dates, use date functions: `date(d, '+7 days')`, `julianday(a) - julianday(b)`"] \
            if dates else ["aggregate a numeric column, or count: `COUNT(x)`"]
        self.report.add(codes.SQL_TYPE, self.piece.extent(node), f"{what} on the text column `{col.name}`",
                        label="text used as a number", notes=notes, help=help_)

    def input_column(self, col: exp.Column) -> tuple[str, str] | None:
        """The input table and column ``col`` reads, through CTEs and subqueries that pass it on as is.

        PRQL puts every step after a ``group`` in a CTE, so its columns are
        known only by following them back.
        """
        for _ in range(16):
            where = self.res.owner.get(id(col))
            src = where[0].sources.get(where[1]) if where else None
            if src is None:
                return None
            if src.relation.kind == "input":
                return src.relation.name, col.name
            inner = (self.ctes.get(src.relation.name.lower()) if src.relation.kind == "cte"
                     else src.node.this if src.relation.kind == "subquery" else None)
            if not isinstance(inner, exp.Select):
                return None
            name = col.name.lower()
            made = next((e.unalias() for e in inner.expressions if e.alias_or_name.lower() == name), None)
            if not isinstance(made, exp.Column):
                return None
            col = made
        return None

    def int_division(self, node: exp.Div) -> None:
        left, right = node.this, node.expression
        types = self.res.types
        if infer(left, types) != "INTEGER" or infer(right, types) != "INTEGER":
            return
        counted = any(isinstance(n, (exp.Count, exp.Sum)) for side in (left, right) for n in side.walk())
        if not counted:
            return
        span = self.piece.extent(node)
        num = self.piece.extent(left)
        fixes = [self.report.fix("make the division real", [(num[0], num[0], "1.0 * ")])] if num else []
        self.report.add(codes.SQL_INT_DIVISION, span, "integer division drops the fraction",
                        severity="warning",
                        label="both sides are integers", help=["write `1.0 * a / b` for a fractional result"],
                        fixes=fixes)

    def function(self, node: exp.Anonymous) -> None:
        name = node.name
        lower = name.lower()
        where = self.piece.at(node) or self.piece.extent(node)
        if lower in callable_names():
            self._arity(node, lower, where)
            return
        if lower in TABLE_FUNCTIONS and isinstance(node.parent, exp.Table):
            return
        if lower == "load_extension":
            self.report.add(codes.SQL_FORBIDDEN, where, "`load_extension` is not allowed in a world",
                            label="loads native code",
                            help=["use SQLite's functions and the ones worlds adds"])
            return
        renames = RENAMES | ({"isnull": "ifnull"} if len(node.expressions) == 2 else {})
        if lower in renames or lower in FOREIGN:
            fixes = []
            if lower in renames and where is not None:
                fixes.append(self.report.fix(f"write `{renames[lower]}`",
                                             [(where[0], where[0] + len(name),
                                               renames[lower])], applicable=True))
            help_ = f"write `{renames[lower]}(...)`" if lower in renames else f"write {FOREIGN[lower]}"
            self.report.add(codes.SQL_UNKNOWN_FUNCTION, where, f"`{name}` is not a SQLite function",
                            label="from another database", help=[help_], fixes=fixes)
            return
        near = nearest(name, sorted(callable_names()))
        fixes = []
        if near and where is not None:
            fixes.append(self.report.fix(f"write `{near[0]}`", [(where[0], where[0] + len(name), near[0])],
                                         applicable=clear_best(name, near)))
        self.report.add(codes.SQL_UNKNOWN_FUNCTION, where, f"no function named `{name}`",
                        label="neither SQLite nor worlds has it",
                        help=[f"did you mean {' or '.join(f'`{n}`' for n in near)}?"] if near else
                        ["see `worlds explain SQL2012` for the functions worlds adds to SQLite"], fixes=fixes)

    def _arity(self, node: exp.Anonymous, lower: str, where: tuple[int, int] | None) -> None:
        mod = polyfills()
        spec = mod.SCALARS.get(lower) or mod.AGGREGATES.get(lower)
        if spec is None:
            return
        low, high = spec[1], spec[2]
        count = len(node.expressions)
        if low <= count <= high:
            return
        takes = f"{low}" if low == high else f"{low} to {high}"
        self.report.add(codes.SQL_BAD_ARGUMENT, where, f"`{node.name}` takes {takes} arguments, not {count}",
                        label="wrong number of arguments")

    def trunc_unit(self, node: exp.Expr) -> None:
        unit = node.args.get("unit")
        name = unit.name.lower() if isinstance(unit, (exp.Var, exp.Literal)) else None
        if name is None or name in date_trunc_units():
            return
        units = "microsecond, second, minute, hour, day, week, month, quarter, year, decade, century"
        where = (self.piece.at(unit) if isinstance(unit, exp.Expr) else None) or self.piece.at(node) \
            or self.piece.extent(node)
        near = nearest(name, sorted(date_trunc_units()))
        self.report.add(codes.SQL_BAD_ARGUMENT, where, f"`date_trunc` has no unit '{name}'",
                        label="unknown unit",
                        help=[f"did you mean '{near[0]}'?" if near else f"units: {units}"])

    def extract_unit(self, node: exp.Extract) -> None:
        unit = node.this
        name = unit.name.lower() if isinstance(unit, exp.Expr) else ""
        if name in _EXTRACT_UNITS:
            return
        near = nearest(name, sorted(_EXTRACT_UNITS))
        self.report.add(codes.SQL_BAD_ARGUMENT, self.piece.extent(node), f"EXTRACT has no field `{name}`",
                        label="unknown field",
                        help=[f"did you mean `{near[0]}`?" if near else
                              "fields: year, quarter, month, week, day, dow, doy, hour, minute, second, "
                              "epoch"])


def limit_token(limit: exp.Expr) -> TokenType:
    return TokenType.FETCH if isinstance(limit, exp.Fetch) else TokenType.LIMIT


def _is_window_only(node: exp.Expr) -> bool:
    return _func_name(node) in WINDOW_ONLY


def _func_name(node: exp.Expr) -> str:
    if isinstance(node, exp.Anonymous):
        return node.name.lower()
    if isinstance(node, exp.Func):
        return str(node.sql_names()[0]).lower()
    return node.key
