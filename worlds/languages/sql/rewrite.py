"""Rewrite what other dialects say into what SQLite 3.42 runs, on the sqlglot tree.

sqlglot's SQLite generator already turns many spellings into SQLite's
(``x::int``, ``IF``, ``FETCH FIRST``, ``NULLS LAST`` by each dialect's default,
``DATEDIFF``, ``to_char``). This module covers what it leaves unrunnable or
changes in meaning:

* dates: ``date_trunc`` (``'day'``, ``'month'``, ``'year'`` become ``date(x,
  'start of month')``; other units call the ``date_trunc`` polyfill, which
  returns ISO text), ``EXTRACT``/``date_part``/``year()``... (``strftime``),
  ``x + INTERVAL '14 days'``, ``DATE_ADD``/``DATE_SUB`` and, for Postgres and
  DuckDB, ``date + 7`` and ``date - date`` (days);
* aggregates with ``ORDER BY`` or ``DISTINCT`` and a separator
  (``string_agg``, ``GROUP_CONCAT(... SEPARATOR)``, ``array_agg``), which
  SQLite 3.42 cannot order: the ``worlds_ordered_*`` polyfills sort per group;
  ``percentile_cont(f) WITHIN GROUP (ORDER BY x)`` and ``median``;
* ``GROUP BY ALL``, ``ORDER BY ALL``, ``QUALIFY`` and ``DISTINCT ON``, which
  wrap the query in a subquery that keeps its output names;
* ``ILIKE`` (SQLite's ``LIKE`` already ignores ASCII case) and, read as
  Postgres or DuckDB, a ``LIKE`` with a literal pattern becomes ``GLOB`` so it
  stays case-sensitive as it is there;
* ``(VALUES ...) AS t(a, b)`` (SQLite names the columns column1, column2, ...)
  becomes a SELECT that names them;
* ``now()`` and ``today()`` become ``CURRENT_TIMESTAMP`` and ``CURRENT_DATE``,
  which SQLite reads from the world's clock; casts to timestamp types become
  ``datetime(x)`` (SQLite would read ``CAST('2024-03-05' AS TIMESTAMP)`` as the
  number 2024); ``LEFT``/``RIGHT`` call polyfills (both are join keywords to
  SQLite's parser); casts to ``JSON``/``JSONB`` are dropped (SQLite's JSON
  functions read JSON text, and it would read ``CAST(x AS JSON)`` as a number).

SQL Server's and Oracle's spellings (and Postgres's ``to_char`` format model)
are rewritten by :mod:`.vendor`, which :meth:`Rewriter._node` asks first.

:attr:`Rewriter.changed` says whether anything was rewritten; an unchanged
SQLite statement is run as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlglot import exp

from . import vendor
from .grouping import aggregates_in, canon
from .kinds import infer
from .names import Resolver, Scope
from .report import Piece

_UNIT = {"year": "years", "years": "years", "y": "years", "yr": "years", "yrs": "years",
         "month": "months", "months": "months", "mon": "months", "mons": "months",
         "week": "weeks", "weeks": "weeks", "w": "weeks", "day": "days", "days": "days", "d": "days",
         "hour": "hours", "hours": "hours", "h": "hours", "hr": "hours", "hrs": "hours",
         "minute": "minutes", "minutes": "minutes", "min": "minutes", "mins": "minutes", "m": "minutes",
         "second": "seconds", "seconds": "seconds", "s": "seconds", "sec": "seconds", "secs": "seconds",
         "quarter": "quarters", "quarters": "quarters"}
_PART = re.compile(r"([+-]?\d+(?:\.\d+)?)\s*([a-z]+)")
_STRFTIME = {"year": "%Y", "month": "%m", "day": "%d", "hour": "%H", "minute": "%M", "second": "%S",
             "dow": "%w", "dayofweek": "%w", "day_of_week": "%w", "weekday": "%w", "doy": "%j",
             "dayofyear": "%j", "day_of_year": "%j"}
_JSON_TYPES = ("JSON", "JSONB")
_TIMESTAMP_TYPES = ("TIMESTAMP", "TIMESTAMPTZ", "TIMESTAMPLTZ", "TIMESTAMPNTZ", "DATETIME", "DATETIME64",
                    "DATETIME2", "SMALLDATETIME")


def _aggregate_order(arg: exp.Expr) -> tuple[exp.Expr, bool, bool, str, list[exp.Expr]]:
    """An aggregate's argument unwrapped: the value, whether it is ordered or DISTINCT, and
    the flags and sort keys the ordered polyfills take (``d``/``-`` for DISTINCT, then per
    key ``a``/``d`` for the direction and ``f``/``l`` for where NULLs go)."""
    value = arg
    order = value if isinstance(value, exp.Order) else None
    if order is not None:
        value = order.this
    distinct = isinstance(value, exp.Distinct)
    if distinct:
        value = value.expressions[0] if value.expressions else value
    keys = order.expressions if order is not None else []
    flags = ("d" if distinct else "-") + "".join(
        ("d" if k.args.get("desc") else "a") + ("f" if k.args.get("nulls_first") else "l") for k in keys)
    return value, order is not None, distinct, flags, [k.this for k in keys]


def _fn(name: str, *args: exp.Expr) -> exp.Expr:
    return exp.Anonymous(this=name, expressions=list(args))


def _int(value: exp.Expr) -> exp.Expr:
    return exp.Cast(this=value, to=exp.DataType.build("INTEGER"))


def _interval_parts(node: exp.Expr) -> list[tuple[str, str]] | None:
    """``INTERVAL '1 month 2 days'`` / ``INTERVAL 14 DAY`` as [(number, 'months'), ...]."""
    if not isinstance(node, exp.Interval):
        return None
    value = node.this
    unit = node.args.get("unit")
    text = value.name if isinstance(value, exp.Literal) else None
    if text is None:
        return None
    if unit is not None:
        name = _UNIT.get(unit.name.lower())
        if name is None or not re.fullmatch(r"\s*[+-]?\d+(\.\d+)?\s*", text):
            return None
        return [(text.strip(), name)]
    parts = [(n, _UNIT.get(u)) for n, u in _PART.findall(text.lower())]
    if not parts or any(u is None for _, u in parts):
        return None
    return [(n, str(u)) for n, u in parts]


def _modifiers(parts: list[tuple[str, str]], sign: int) -> list[exp.Expr]:
    out: list[exp.Expr] = []
    for number, unit in parts:
        value = float(number) if "." in number else int(number)
        if unit == "weeks":
            value, unit = value * 7, "days"
        elif unit == "quarters":
            value, unit = value * 3, "months"
        value *= sign
        out.append(exp.Literal.string(f"{value:+} {unit}"))
    return out


class Rewriter:
    """Rewrites one statement's tree in place; :attr:`changed` tells whether it did."""

    def __init__(self, res: Resolver, piece: Piece, dialect: str) -> None:
        self.res = res
        self.piece = piece
        self.dialect = dialect
        self.changed = False

    def run(self, tree: exp.Expr) -> exp.Expr:
        for scope in self.res.scopes:
            self._group_all(scope)
            self._order_all(scope)
        for scope in reversed(self.res.scopes):  # inner queries first: wrapping moves nodes
            sel = scope.select
            distinct = sel.args.get("distinct")
            if isinstance(distinct, exp.Distinct) and distinct.args.get("on") is not None:
                tree = self._wrap(tree, scope, "distinct_on")
            if sel.args.get("qualify") is not None:
                tree = self._wrap(tree, scope, "qualify")
        for node in reversed(list(tree.walk())):
            new = self._node(node)
            if new is not None and new is not node:
                self.changed = True
                if node is tree:
                    tree = new
                else:
                    node.replace(new)
        return tree

    # -- clauses ----------------------------------------------------------------------------------

    def _group_all(self, scope: Scope) -> None:
        sel = scope.select
        group = sel.args.get("group")
        if not isinstance(group, exp.Group) or not group.args.get("all"):
            return
        keys = [exp.Literal.number(i + 1) for i, item in enumerate(sel.expressions)
                if not list(aggregates_in(item)) and not isinstance(item, exp.Star)]
        sel.set("group", exp.Group(expressions=keys) if keys else None)
        self.changed = True

    def _order_all(self, scope: Scope) -> None:
        sel = scope.select
        order = sel.args.get("order")
        if not isinstance(order, exp.Order) or len(order.expressions) != 1:
            return
        first = order.expressions[0]
        if not (isinstance(first, exp.Ordered) and isinstance(first.this,
                                                              exp.Var) and first.this.name.upper() == "ALL"):
            return
        keys = []
        for i in range(len(sel.expressions)):
            item = first.copy()
            item.set("this", exp.Literal.number(i + 1))
            keys.append(item)
        sel.set("order", exp.Order(expressions=keys))
        self.changed = True

    def _wrap(self, tree: exp.Expr, scope: Scope, kind: str) -> exp.Expr:
        """``SELECT ... QUALIFY c ORDER BY o LIMIT n`` as ``SELECT names FROM (SELECT ..., c) WHERE c``."""
        sel = scope.select
        outputs = scope.outputs
        if outputs is None or any(_is_star(e) for e in sel.expressions):
            outputs = outputs if outputs is not None else []
            items = self._expand_star(scope)
            if items is None:
                return tree
        else:
            items = list(sel.expressions)
        names = [n for n, _ in outputs] if len(outputs) == len(items) else \
            [i.alias_or_name or f"column{k + 1}" for k, i in enumerate(items)]
        folded = [n.lower() for n in names]
        inner_names = [n if folded.count(n.lower()) == 1 and not n.startswith("__w") and _plain(n)
                       else f"__w{k}" for k, n in enumerate(names)]
        new_items: list[exp.Expr] = []
        for item, inner in zip(items, inner_names, strict=True):
            value = item.this if isinstance(item, exp.Alias) else item
            if isinstance(item, exp.Column) and item.name == inner:
                new_items.append(item)
            else:
                new_items.append(exp.alias_(value, exp.Identifier(this=inner, quoted=True)))
        order = sel.args.get("order")
        outer_order: list[exp.Expr] = []
        hidden = 0
        if isinstance(order, exp.Order):
            keyed = {canon(v.this if isinstance(v, exp.Alias) else v, self.res.owner): k
                     for k, v in enumerate(items)}
            for ordered in order.expressions:
                target = ordered.this
                out = ordered.copy()
                if isinstance(target, exp.Literal) and not target.is_string:
                    out.set("this", exp.Literal.number(int(target.this)))
                elif isinstance(target, exp.Column) and not target.table and target.name.lower() in folded:
                    out.set("this", _ref(inner_names[folded.index(target.name.lower())]))
                elif canon(target, self.res.owner) in keyed:
                    out.set("this", _ref(inner_names[keyed[canon(target, self.res.owner)]]))
                else:
                    hidden += 1
                    new_items.append(exp.alias_(self._inline(target.copy(), scope),
                                                exp.Identifier(this=f"__wo{hidden}", quoted=True)))
                    out.set("this", _ref(f"__wo{hidden}"))
                outer_order.append(out)
        if kind == "qualify":
            cond = self._inline(sel.args["qualify"].this.copy(), scope)
            new_items.append(exp.alias_(cond, exp.Identifier(this="__wq", quoted=True)))
            where: exp.Expr = _ref("__wq")
            sel.set("qualify", None)
        else:
            on = sel.args["distinct"].args["on"]
            ons = on.expressions if isinstance(on, exp.Tuple) else [on]
            keys = [self._inline(e.copy(), scope) for e in ons]
            window = exp.Window(this=exp.RowNumber(), partition_by=keys,
                                order=self._inline(order.copy(), scope) if isinstance(order,
                                                                                      exp.Order) else None,
                                over="OVER")
            new_items.append(exp.alias_(window, exp.Identifier(this="__wq", quoted=True)))
            where = exp.EQ(this=_ref("__wq"), expression=exp.Literal.number(1))
            sel.set("distinct", None)
        limit, offset = sel.args.get("limit"), sel.args.get("offset")
        for key in ("order", "limit", "offset"):
            sel.set(key, None)
        sel.set("expressions", new_items)
        parent, arg_key, index = sel.parent, sel.arg_key, sel.index
        outer = exp.Select(expressions=[
            _ref(inner) if inner == name else exp.alias_(_ref(inner), exp.Identifier(this=name, quoted=True))
            for inner, name in zip(inner_names, names, strict=True)])
        with_ = sel.args.get("with_")
        if with_ is not None:
            sel.set("with_", None)
            outer.set("with_", with_)
        outer.set("from_", exp.From(this=exp.Subquery(this=sel, alias=exp.TableAlias(
            this=exp.Identifier(this="__wt", quoted=True)))))
        outer.set("where", exp.Where(this=where))
        if outer_order:
            outer.set("order", exp.Order(expressions=outer_order))
        if limit is not None:
            outer.set("limit", limit)
        if offset is not None:
            outer.set("offset", offset)
        self.changed = True
        if parent is None:
            return outer
        parent.set(str(arg_key), outer, index)
        return tree

    def _expand_star(self, scope: Scope) -> list[exp.Expr] | None:
        out: list[exp.Expr] = []
        for item in scope.select.expressions:
            star = isinstance(item, exp.Star)
            qualified = isinstance(item, exp.Column) and isinstance(item.this, exp.Star)
            if not star and not qualified:
                out.append(item)
                continue
            sources = scope.sources.values() if star else \
                [s for a, s in scope.sources.items() if a == item.table.lower()]
            for src in sources:
                if src.relation.columns is None:
                    return None
                for lower, (name, _) in src.relation.columns.items():
                    if lower not in ("rowid", "oid", "_rowid_"):
                        out.append(exp.column(name, table=src.alias, quoted=True))
        return out

    def _inline(self, node: exp.Expr, scope: Scope) -> exp.Expr:
        """Select-list aliases used in QUALIFY or ORDER BY, replaced by what they name."""
        def swap(n: exp.Expr) -> exp.Expr:
            if isinstance(n, exp.Column) and not n.table and n.name.lower() in scope.aliases \
                    and not any(s.relation.columns and n.name.lower() in s.relation.columns
                                for s in scope.sources.values()):
                return scope.aliases[n.name.lower()].copy()
            return n
        return node.transform(swap, copy=False)

    # -- expressions --------------------------------------------------------------------------------

    def _node(self, node: exp.Expr) -> exp.Expr | None:
        if self.dialect in vendor.DIALECTS or self.dialect == "postgres":
            new = vendor.rewrite(self, node)
            if new is not None:
                return new
        handler = _HANDLERS.get(type(node))
        return handler(self, node) if handler is not None else None

    def _type(self, node: exp.Expr) -> str | None:
        kind = infer(node, self.res.types)
        if kind is not None:
            return kind
        if isinstance(node, exp.Anonymous):
            name = node.name.lower()
            if name in ("date", "date_trunc"):
                return "DATE"
            if name == "datetime":
                return "TIMESTAMP"
        return None

    def add_sub(self, node: exp.Expr) -> exp.Expr | None:
        left, right = node.this, node.expression
        sign = -1 if isinstance(node, exp.Sub) else 1
        if isinstance(left, exp.Interval) and sign == 1:
            left, right = right, left
        parts = _interval_parts(right)
        if parts is not None:
            timed = self._type(left) == "TIMESTAMP" or any(u in ("hours", "minutes", "seconds") for _,
                                                           u in parts)
            return _fn("datetime" if timed else "date", left, *_modifiers(parts, sign))
        if self.dialect in ("postgres", "duckdb", "oracle"):
            lt, rt = self._type(left), self._type(right)
            # Oracle's SYSDATE has a time of day: SYSDATE - 7 keeps it.
            timed = lt == "TIMESTAMP" and self.dialect == "oracle"
            if (lt == "DATE" or timed) and rt == "INTEGER":
                name = "datetime" if timed else "date"
                if isinstance(right, exp.Literal):
                    return _fn(name, left, *_modifiers([(right.this, "days")], sign))
                return _fn(name, left, _fn("printf", exp.Literal.string("%+d days"),
                                               right if sign == 1 else exp.Neg(this=right)))
            if sign == -1 and lt == "DATE" and rt == "DATE":
                return _int(exp.Sub(this=_fn("julianday", left), expression=_fn("julianday", right)))
        return None

    def date_add(self, node: exp.Expr) -> exp.Expr | None:
        value = node.args.get("expression")
        unit = node.args.get("unit")
        sign = -1 if isinstance(node, exp.DateSub) else 1
        parts = _interval_parts(value) if isinstance(value, exp.Interval) else None
        if parts is None and isinstance(value, exp.Literal) and unit is not None:
            parts = _interval_parts(exp.Interval(this=exp.Literal.string(value.name), unit=unit))
        if parts is None:
            if isinstance(value, exp.Expr) and unit is not None and _UNIT.get(unit.name.lower()):
                step = exp.Literal.string(f" {_UNIT[unit.name.lower()]}")
                amount = value if sign == 1 else exp.Neg(this=value)
                return _fn("date", node.this, exp.DPipe(this=_fn("printf", exp.Literal.string("%+d"), amount),
                                                         expression=step))
            return None
        timed = any(u in ("hours", "minutes", "seconds") for _, u in parts)
        return _fn("datetime" if timed else "date", node.this, *_modifiers(parts, sign))

    def trunc(self, node: exp.Expr) -> exp.Expr | None:
        unit = node.args.get("unit")
        name = unit.name.lower() if isinstance(unit, (exp.Var, exp.Literal)) else None
        value = node.this
        if name in ("day", "days"):
            return _fn("date", value)
        if name in ("month", "months"):
            return _fn("date", value, exp.Literal.string("start of month"))
        if name in ("year", "years"):
            return _fn("date", value, exp.Literal.string("start of year"))
        if name is None:
            return None
        return _fn("date_trunc", exp.Literal.string(name), value)

    def extract(self, node: exp.Extract) -> exp.Expr | None:
        unit = node.this.name.lower() if isinstance(node.this, exp.Expr) else ""
        return self._part(unit, node.expression)

    def _part(self, unit: str, value: exp.Expr) -> exp.Expr | None:
        unit = {"years": "year", "months": "month", "days": "day", "hours": "hour", "minutes": "minute",
                "seconds": "second", "weeks": "week"}.get(unit, unit)
        if unit in _STRFTIME:
            return _int(_fn("strftime", exp.Literal.string(_STRFTIME[unit]), value))
        if unit == "isodow":
            return exp.Add(this=exp.Paren(this=exp.Mod(
                this=exp.Paren(this=exp.Add(this=_int(_fn("strftime", exp.Literal.string("%w"), value)),
                                            expression=exp.Literal.number(6))),
                expression=exp.Literal.number(7))), expression=exp.Literal.number(1))
        if unit == "quarter":
            return exp.Div(this=exp.Paren(this=exp.Add(this=_int(_fn("strftime", exp.Literal.string("%m"),
                                                                     value)),
                                                       expression=exp.Literal.number(2))),
                           expression=exp.Literal.number(3), typed=True)
        if unit == "week":
            return _fn("iso_week", value)
        if unit in ("isoyear", "yearofweek"):
            return _fn("iso_year", value)
        if unit == "epoch":
            return _fn("unixepoch", value)
        return None

    def part_function(self, node: exp.Expr) -> exp.Expr | None:
        unit = _PART_OF[type(node)]
        out = self._part(unit, node.this)
        if out is not None and unit == "dow" and self.dialect == "mysql":
            out = exp.Add(this=out, expression=exp.Literal.number(1))  # MySQL's DAYOFWEEK: Sunday is 1
        return out

    def group_concat(self, node: exp.Expr) -> exp.Expr | None:
        separator = node.args.get("separator")
        value, ordered, distinct, flags, keys = _aggregate_order(node.this)
        if not ordered and (not distinct or separator is None):
            if distinct:
                return None  # group_concat(DISTINCT x): SQLite's own, with ',' between
            return _fn("group_concat", value, separator) if separator is not None else None
        sep = separator if separator is not None else exp.Literal.string(",")
        return _fn("worlds_ordered_concat", value, sep, exp.Literal.string(flags), *keys)

    def array_agg(self, node: exp.Expr) -> exp.Expr | None:
        value, ordered, distinct, flags, keys = _aggregate_order(node.this)
        if not ordered and not distinct:
            return _fn("json_group_array", value)
        return _fn("worlds_ordered_json", value, exp.Literal.string(flags), *keys)

    def within_group(self, node: exp.WithinGroup) -> exp.Expr | None:
        func, order = node.this, node.expression
        if not isinstance(order, exp.Order) or not order.expressions:
            return None
        value = order.expressions[0].this
        if isinstance(func, exp.PercentileCont):
            return _fn("percentile_cont", value, func.this)
        if isinstance(func, exp.PercentileDisc):
            return _fn("percentile_disc", value, func.this)
        if isinstance(func, exp.Mode) or (isinstance(func, exp.Anonymous) and func.name.lower() == "mode"):
            return _fn("mode", value)
        return None

    def like(self, node: exp.Like) -> exp.Expr | None:
        if self.dialect not in ("postgres", "duckdb") or isinstance(node.parent, exp.Escape):
            return None
        pattern = node.expression
        if not isinstance(pattern, exp.Literal) or not pattern.is_string:
            return None
        return _negated(node, exp.Glob(this=node.this, expression=exp.Literal.string(_glob(pattern.this))))

    def ilike(self, node: exp.ILike) -> exp.Expr:
        return _negated(node, exp.Like(this=node.this, expression=node.expression))

    def cast(self, node: exp.Cast) -> exp.Expr | None:
        to = node.args.get("to")
        name = to.this.name if isinstance(to, exp.DataType) and hasattr(to.this, "name") else ""
        if name in _TIMESTAMP_TYPES:
            return _fn("datetime", node.this)
        if name == "TIME":
            return _fn("time", node.this)
        if name in _JSON_TYPES:
            # SQLite has no JSON type: `CAST(x AS JSON)` would be a numeric cast (0 for an
            # object). Its JSON functions and `->`/`->>` read JSON text, so the text stays as it is.
            value: exp.Expr = node.this.copy()
            return value
        return None

    def anonymous(self, node: exp.Anonymous) -> exp.Expr | None:
        name = node.name.lower()
        args = node.expressions
        if name == "now" and not args:
            return exp.CurrentTimestamp()
        if name == "today" and not args:
            return exp.CurrentDate()
        if name in ("unix_timestamp", "epoch") and len(args) == 1:
            return _fn("unixepoch", args[0])
        if name == "make_date" and len(args) == 3:
            return _fn("printf", exp.Literal.string("%04d-%02d-%02d"), *args)
        return None


def _negated(old: exp.Expr, new: exp.Expr) -> exp.Expr:
    """``new``, negated when ``old`` was written ``NOT LIKE``."""
    return exp.Not(this=new) if old.args.get("negate") else new


def _glob(pattern: str) -> str:
    """A LIKE pattern as a GLOB pattern (``%`` is ``*``, ``_`` is ``?``)."""
    out = []
    for ch in pattern:
        if ch == "%":
            out.append("*")
        elif ch == "_":
            out.append("?")
        elif ch in "*?[":
            out.append(f"[{ch}]")
        else:
            out.append(ch)
    return "".join(out)


def _ref(name: str) -> exp.Column:
    return exp.Column(this=exp.Identifier(this=name, quoted=True))


def _is_star(node: exp.Expr) -> bool:
    return isinstance(node, exp.Star) or (isinstance(node, exp.Column) and isinstance(node.this, exp.Star))


def _plain(name: str) -> bool:
    return re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) is not None


def _simple(fn: Callable[[exp.Expr], exp.Expr | None]) -> Callable[[Rewriter, exp.Expr], exp.Expr | None]:
    return lambda _self, node: fn(node)


def _named_values(node: exp.Values) -> exp.Expr | None:
    """``(VALUES ...) AS t(a, b)``: SQLite names a VALUES list's columns column1, column2, ...
    and takes no column names in an alias, so the names are given in a SELECT around it."""
    alias = node.args.get("alias")
    if not isinstance(alias, exp.TableAlias) or not alias.columns \
            or not isinstance(node.parent, exp.From | exp.Join):
        return None
    columns = alias.columns
    inner = node.copy()
    inner.set("alias", None)
    select = exp.select(*(exp.alias_(exp.column(f"column{i}"), c.name, quoted=c.args.get("quoted"))
                          for i, c in enumerate(columns, 1))).from_(exp.Subquery(this=inner))
    return exp.Subquery(this=select, alias=exp.TableAlias(this=alias.this.copy()))


_HANDLERS: dict[type[exp.Expr], Callable[[Rewriter, exp.Expr], exp.Expr | None]] = {
    exp.Values: _simple(_named_values),  # type: ignore[arg-type]
    exp.Add: Rewriter.add_sub,
    exp.Sub: Rewriter.add_sub,
    exp.DateAdd: Rewriter.date_add,
    exp.DateSub: Rewriter.date_add,
    exp.TsOrDsAdd: Rewriter.date_add,
    exp.DateTrunc: Rewriter.trunc,
    exp.TimestampTrunc: Rewriter.trunc,
    exp.Extract: Rewriter.extract,  # type: ignore[dict-item]
    exp.GroupConcat: Rewriter.group_concat,
    exp.ArrayAgg: Rewriter.array_agg,
    exp.WithinGroup: Rewriter.within_group,  # type: ignore[dict-item]
    exp.Like: Rewriter.like,  # type: ignore[dict-item]
    exp.ILike: Rewriter.ilike,  # type: ignore[dict-item]
    exp.Cast: Rewriter.cast,  # type: ignore[dict-item]
    exp.Anonymous: Rewriter.anonymous,  # type: ignore[dict-item]
    exp.VariancePop: _simple(lambda n: _fn("var_pop", n.this)),
    exp.StrToDate: _simple(vendor.to_date),  # TO_DATE, STR_TO_DATE: sqlglot writes no SQLite for them
    exp.StrToTime: _simple(vendor.to_date),
    # LEFT and RIGHT are join keywords to SQLite's parser: `left(x, 3)` cannot name a function.
    exp.Left: _simple(lambda n: _fn("worlds_left", n.this, n.expression)),
    exp.Right: _simple(lambda n: _fn("worlds_right", n.this, n.expression)),
    exp.TimeToUnix: _simple(lambda n: _fn("unixepoch", n.this)),
    exp.LastDay: _simple(lambda n: _fn("date", n.this, exp.Literal.string("start of month"),
                                       exp.Literal.string("+1 month"), exp.Literal.string("-1 day"))),
    exp.DateFromParts: _simple(lambda n: _fn("printf", exp.Literal.string("%04d-%02d-%02d"),
                                             n.args["year"], n.args["month"], n.args["day"])),
}
_PART_OF: dict[type[exp.Expr], str] = {
    exp.Year: "year", exp.Month: "month", exp.Day: "day", exp.Quarter: "quarter", exp.DayOfWeek: "dow",
    exp.DayOfYear: "doy", exp.WeekOfYear: "week", exp.Week: "week", exp.Hour: "hour", exp.Minute: "minute",
    exp.Second: "second", exp.DayOfMonth: "day"}
for _cls in _PART_OF:
    _HANDLERS[_cls] = Rewriter.part_function
