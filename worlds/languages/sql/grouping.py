"""Grouping and where aggregates and window functions may appear.

A grouped query (GROUP BY, or an aggregate in the select list) must select
only grouped expressions and aggregates: SQLite would otherwise pick a value
from an arbitrary row and say nothing. Grouping by a column that is unique
in the data (an id), or by a column a join sets equal to one, makes the rest
of its row follow, as a primary key does in Postgres. Aggregates cannot
filter rows (WHERE) and windows cannot filter at all; the fixes move the
condition to HAVING or QUALIFY.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp
from sqlglot.tokenizer_core import TokenType

from ...diagnostics import Severity, codes
from . import facts
from .functions import callable_names, is_aggregate_name
from .names import Resolver, Scope
from .report import Piece, Report

# -- shapes ---------------------------------------------------------------------------------


def _equalities(sel: exp.Select) -> list[tuple[exp.Column, exp.Column]]:
    """Column pairs the query's joins (ON, and WHERE's top-level ANDs) set equal."""
    conditions = [j.args.get("on") for j in sel.args.get("joins") or []]
    where = sel.args.get("where")
    conditions.append(where.this if isinstance(where, exp.Where) else None)
    pairs = []
    for condition in conditions:
        stack = [condition] if isinstance(condition, exp.Expr) else []
        while stack:
            cur = stack.pop()
            if isinstance(cur, exp.And):
                stack.extend((cur.left, cur.right))
            elif isinstance(cur, exp.Paren):
                stack.append(cur.this)
            elif isinstance(cur, exp.EQ) and isinstance(cur.left, exp.Column) \
                    and isinstance(cur.right, exp.Column):
                pairs.append((cur.left, cur.right))
    return pairs


def window_parent(node: exp.Expr) -> exp.Window | None:
    """The window a function belongs to (through FILTER and WITHIN GROUP), if any."""
    parent = node.parent
    while isinstance(parent, (exp.Filter, exp.WithinGroup)):
        parent = parent.parent
    return parent if isinstance(parent, exp.Window) and parent.this is not None else None


def is_aggregate(node: exp.Expr) -> bool:
    """Whether ``node`` is an aggregate call (not one used as a window function)."""
    if isinstance(node, (exp.Filter, exp.WithinGroup)):
        return isinstance(node.this, exp.Expr) and is_aggregate(node.this)
    if isinstance(node, (exp.Max, exp.Min)) and node.expressions:
        return False  # min(a, b) with two arguments is SQLite's scalar least/greatest
    if isinstance(node, exp.AggFunc):
        return window_parent(node) is None
    if isinstance(node, exp.Anonymous):
        return is_aggregate_name(node.name, len(node.expressions)) and window_parent(node) is None
    return False


def aggregates_in(node: exp.Expr) -> Iterator[exp.Expr]:
    """Aggregate calls in ``node`` (not inside subqueries; inside windows only in their arguments)."""
    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, (exp.Select, exp.SetOperation, exp.Subquery)):
            continue
        if is_aggregate(cur):
            yield cur
            continue
        stack.extend(cur.iter_expressions())


def windows_in(node: exp.Expr) -> Iterator[exp.Window]:
    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, (exp.Select, exp.SetOperation, exp.Subquery)):
            continue
        if isinstance(cur, exp.Window) and cur.args.get("over"):
            yield cur
            continue
        stack.extend(cur.iter_expressions())


def canon(node: exp.Expr, owner: dict[int, tuple[Scope, str]]) -> str:
    """A key equal for expressions that mean the same (columns by the source they resolve to)."""
    if isinstance(node, exp.Column):
        found = owner.get(id(node))
        return f"col:{found[1] if found else node.table.lower()}.{node.name.lower()}"
    if isinstance(node, exp.Paren):
        return canon(node.this, owner)
    parts = [node.key]
    for key, value in node.args.items():
        if isinstance(value, exp.Expr):
            parts.append(f"{key}={canon(value, owner)}")
        elif isinstance(value, list):
            parts.append(key + "=[" + ",".join(canon(v, owner) if isinstance(v, exp.Expr) else str(v)
                                               for v in value) + "]")
        elif value is not None and value is not False:
            parts.append(f"{key}={str(value).lower()}")
    return "(" + " ".join(parts) + ")"



class Grouping:
    """The grouping checks of one SELECT."""

    def __init__(self, res: Resolver, report: Report, piece: Piece) -> None:
        self.res = res
        self.report = report
        self.piece = piece

    def check(self, scope: Scope) -> None:
        self.positions(scope)
        self.placement(scope)
        self.grouping(scope)
        self.having(scope)

    def positions(self, scope: Scope) -> None:
        """``ORDER BY 3`` and ``GROUP BY 3`` name the third result column, which must exist."""
        sel = scope.select
        width = len(sel.expressions)
        if any(isinstance(e, exp.Star) or (isinstance(e, exp.Column) and isinstance(e.this, exp.Star))
               for e in sel.expressions):
            return
        group, order = sel.args.get("group"), sel.args.get("order")
        keys = [("GROUP BY", k) for k in (group.expressions if isinstance(group, exp.Group) else [])]
        keys += [("ORDER BY", o.this) for o in (order.expressions if isinstance(order, exp.Order) else [])]
        for clause, key in keys:
            if isinstance(key, exp.Literal) and not key.is_string and key.this.isdigit() \
                    and not 1 <= int(key.this) <= width:
                self.report.add(codes.SQL_UNKNOWN_COLUMN, self.piece.at(key),
                                f"{clause} {key.this} names no column: the result has {width}",
                                label=f"there is no column {key.this}",
                                help=[f"use a position from 1 to {width}, or name the column"])

    def grouping(self, scope: Scope) -> None:
        sel = scope.select
        group = sel.args.get("group")
        if isinstance(group, exp.Group) and group.args.get("all"):
            return  # GROUP BY ALL groups by every plain item: always consistent
        having = sel.args.get("having")
        order = sel.args.get("order")
        calls = [a for e in sel.expressions for a in aggregates_in(e)]
        later = [a for c in (having, order) if c is not None for a in aggregates_in(c)]
        if group is None and not calls and not later:
            return
        owner = self.res.owner
        keys = set()
        plain_keys: list[exp.Expr] = []
        for key in group.expressions if isinstance(group, exp.Group) else []:
            if list(aggregates_in(key)):
                return  # reported as an aggregate in GROUP BY
            target = self._group_target(key, scope)
            columns = [c for c in target.find_all(exp.Column) if not isinstance(c.this, exp.Star)]
            if any(id(c) not in owner for c in columns):
                return  # a key names no known column (reported): what is grouped is not known yet
            keys.add(canon(target, owner))
            plain_keys.append(target)
        unique = self._unique_sources(plain_keys, scope)
        found: list[tuple[exp.Column, exp.Expr | None]] = []  # (column, top-level select item)

        def visit(node: exp.Expr, item: exp.Expr | None) -> None:
            if keys and canon(node, owner) in keys:
                return
            if is_aggregate(node) or isinstance(node, (exp.Select, exp.SetOperation, exp.Subquery)):
                return
            if isinstance(node, exp.Anonymous) and node.name.lower() not in callable_names():
                return  # an unknown function (reported): it might be an aggregate
            if isinstance(node, exp.Column):
                if isinstance(node.this, exp.Star):
                    return
                where = owner.get(id(node))
                if where is None or where[0] is not scope or where[1] in unique:
                    return  # an alias, an outer column, or one the grouped key determines
                found.append((node, item))
                return
            if isinstance(node, exp.Window):
                func = node.this
                inner = func.this if isinstance(func, (exp.Filter, exp.WithinGroup)) else func
                for child in inner.iter_expressions() if isinstance(inner, exp.Expr) else []:
                    visit(child, None)
                for key in ("partition_by", "order"):
                    value = node.args.get(key)
                    for child in value if isinstance(value, list) else [value] if value is not None else []:
                        visit(child, None)
                return
            for child in node.iter_expressions():
                visit(child, item)

        for item in sel.expressions:
            visit(item, item)
        if having is not None:
            visit(having, None)
        if isinstance(order, exp.Order):
            for ordered in order.expressions:
                # ORDER BY names a result column first (SQLite and Postgres agree): `units` is the alias.
                if not _names_output(ordered.this, scope):
                    visit(ordered, None)
        if found:
            self._ungrouped(scope, found, calls)

    def _group_target(self, key: exp.Expr, scope: Scope) -> exp.Expr:
        """What a GROUP BY item groups: ``1`` is the first select item, an alias its expression."""
        sel = scope.select
        if isinstance(key, exp.Literal) and not key.is_string and key.this.isdigit():
            index = int(key.this) - 1
            if 0 <= index < len(sel.expressions):
                item: exp.Expr = sel.expressions[index]
                return item.this if isinstance(item, exp.Alias) else item
        if isinstance(key, exp.Column) and not key.table and id(key) not in self.res.owner \
                and key.name.lower() in scope.aliases:
            return scope.aliases[key.name.lower()]
        return key

    def _unique_sources(self, keys: list[exp.Expr], scope: Scope) -> set[str]:
        """Sources grouped by a column unique in their data: their other columns follow from it.

        A column the joins set equal to a grouped one is grouped too (`GROUP BY f.station_id` with
        `JOIN stations s ON s.station_id = f.station_id`): the joined row follows when its key is
        unique. So is a column of a row that already follows (`GROUP BY s.session_id` makes
        `s.charger` fixed, and `JOIN chargers c ON c.charger = s.charger` then fixes `c`).
        """
        owner = self.res.owner
        grouped = {canon(k, owner) for k in keys}
        pending = list(keys)
        equalities = _equalities(scope.select)
        out: set[str] = set()
        while pending:
            for key in pending:
                source = self._unique_source(key, scope)
                if source is not None:
                    out.add(source)
            pending = []
            for left, right in equalities:
                for a, b in ((left, right), (right, left)):
                    fixed = canon(a, owner) in grouped or (owner.get(id(a)) or (None, ""))[1] in out
                    if fixed and canon(b, owner) not in grouped:
                        grouped.add(canon(b, owner))
                        pending.append(b)
        return out

    def _unique_source(self, key: exp.Expr, scope: Scope) -> str | None:
        """The source ``key`` is a unique column of, if it is one (an input table's)."""
        if not isinstance(key, exp.Column):
            return None
        where = self.res.owner.get(id(key))
        src = scope.sources.get(where[1]) if where is not None else None
        if src is not None and src.relation.kind == "input" and \
                facts.is_unique(self.res.catalog.schema, src.relation.name, key.name):
            return where[1]  # type: ignore[index]
        return None

    def _ungrouped(self, scope: Scope, found: list[tuple[exp.Column, exp.Expr | None]],
                   calls: list[exp.Expr]) -> None:
        sel = scope.select
        group = sel.args.get("group")
        first, _ = found[0]
        names = list(dict.fromkeys(c.sql() for c, _ in found))
        where = self.piece.at(first.this) or self.piece.extent(first)
        minmax = len(calls) == 1 and isinstance(calls[0], (exp.Max, exp.Min))
        shown = ", ".join(f"`{n}`" for n in names)
        # The fix groups by the select items holding the columns, when each is a plain value.
        items = list(dict.fromkeys(id(i) for _, i in found if i is not None))
        fixable = len(items) == len({id(c) for c, _ in found}) and all(i is not None for _, i in found) and \
            not any(list(aggregates_in(i)) for _, i in found if i is not None)
        fixes = []
        if fixable:
            texts = []
            for _, item in found:
                assert item is not None
                inner = item.this if isinstance(item, exp.Alias) else item
                span = self.piece.extent(inner)
                text = item.alias if isinstance(item,
                                                exp.Alias) else (self.piece.source(span) if span else None)
                if text is None:
                    fixable = False
                    break
                texts.append(text)
            texts = list(dict.fromkeys(texts))
            if fixable and isinstance(group, exp.Group) and group.expressions:
                end = self.piece.extent(group.expressions[-1])
                if end is not None:
                    fixes.append(self.report.fix(f"add {', '.join(texts)} to GROUP BY",
                                                 [(end[1], end[1], "".join(", " + t for t in texts))],
                                                 applicable=True))
            elif fixable and group is None:
                at = self._clause_end(sel)
                if at is not None:
                    fixes.append(self.report.fix(f"group by {', '.join(texts)}",
                                                 [(at, at,
                                                   " GROUP BY " + ", ".join(texts))], applicable=True))
        if minmax:
            func = "max" if isinstance(calls[0], exp.Max) else "min"
            notes = [f"SQLite takes {shown} from the row where `{func}()` is reached; Postgres, DuckDB and "
                     "MySQL refuse this query"]
            severity: Severity = "warning"
            # Grouping would change what the query asks; the row with the extreme value is likely meant.
            fixes = [f.model_copy(update={"applicable": False}) for f in fixes]
        else:
            notes = ["SQLite does not refuse this: it takes the value from an arbitrary row of each group, "
                     "so the result looks plausible and is wrong"]
            severity = "error"
        verb = "grouped" if group is not None else "grouped (the query aggregates, so it has one group)"
        help_ = [f"add {shown} to GROUP BY, or aggregate {'it' if len(names) == 1 else 'them'}: "
                 f"`max({names[0]})`"]
        if minmax:
            arg = calls[0].this.sql() if isinstance(calls[0].this, exp.Expr) else "x"
            order = "DESC" if isinstance(calls[0], exp.Max) else "ASC"
            help_ = [f"for the row with the {'largest' if order == 'DESC' else 'smallest'} `{arg}`, write "
                     f"`ORDER BY {arg} {order} LIMIT 1` without the aggregate"] + help_
        labels = [(w, "also not grouped") for c, _ in found[1:4] if (w := self.piece.at(c.this)) is not None]
        self.report.add(codes.SQL_UNGROUPED, where,
                        f"{shown} {'is' if len(names) == 1 else 'are'} neither {verb} nor aggregated",
                        label="not in GROUP BY, not inside an aggregate", severity=severity,
                        notes=notes, help=help_, fixes=fixes, labels=labels)

    def _clause_end(self, sel: exp.Select) -> int | None:
        """Where a GROUP BY goes: after FROM, the joins and WHERE."""
        ends = []
        for key in ("from_", "where"):
            part = sel.args.get(key)
            if part is not None and (span := self.piece.extent(part)) is not None:
                ends.append(span[1])
        for join in sel.args.get("joins") or []:
            if (span := self.piece.extent(join)) is not None:
                ends.append(span[1])
        return max(ends) if ends else None

    # -- placement of aggregates and windows ---------------------------------------------------------

    def placement(self, scope: Scope) -> None:
        sel = scope.select
        where = sel.args.get("where")
        if isinstance(where, exp.Where):
            aggs = list(aggregates_in(where.this))
            if aggs:
                self._aggregate_in_where(sel, where, aggs[0])
            wins = list(windows_in(where.this))
            if wins:
                self._window_in(sel, where, wins[0], "WHERE")
        group = sel.args.get("group")
        if isinstance(group, exp.Group):
            for key in group.expressions:
                for agg in aggregates_in(key):
                    self._misplaced_aggregate(agg, "GROUP BY", "group by a plain column or expression")
                for win in windows_in(key):
                    self._window_in(sel, None, win, "GROUP BY")
        having = sel.args.get("having")
        if isinstance(having, exp.Having):
            for win in windows_in(having.this):
                self._window_in(sel, None, win, "HAVING")
        for join in sel.args.get("joins") or []:
            on = join.args.get("on")
            for agg in aggregates_in(on) if on is not None else []:
                self._misplaced_aggregate(agg, "JOIN ... ON",
                                          "join on columns; aggregate in a subquery first")
        for item in sel.expressions:
            for agg in aggregates_in(item):
                core = agg.this if isinstance(agg, (exp.Filter, exp.WithinGroup)) else agg
                for inner in core.iter_expressions():
                    for nested in aggregates_in(inner):
                        self._misplaced_aggregate(nested, "another aggregate",
                                                  "aggregate in a subquery first, or use a window: "
                                                  "`SUM(SUM(x)) OVER ()`")

    def _aggregate_in_where(self, sel: exp.Select, where: exp.Where, agg: exp.Expr) -> None:
        span = self.piece.extent(agg)
        fixes = []
        group = sel.args.get("group")
        cond = self.piece.extent(where.this)
        keyword = self.piece.keyword_before(cond[0], TokenType.WHERE) if cond else None
        if cond and keyword is not None and isinstance(group, exp.Group) and group.expressions \
                and sel.args.get("having") is None and not isinstance(where.this, exp.And):
            text = self.piece.source(cond)
            group_end = self.piece.extent(group)
            index = self.piece.token_index(keyword)
            start = self.piece.token_span(index - 1)[1] if index > 0 else keyword
            if group_end is not None:
                fixes.append(self.report.fix("move the condition to HAVING",
                                             [(start, cond[1], ""), (group_end[1], group_end[1],
                                                                       f" HAVING {text}")],
                                             applicable=True))
        self.report.add(codes.SQL_AGGREGATE_PLACE, span, "aggregate functions are not allowed in WHERE",
                        label="an aggregate in WHERE",
                        notes=["WHERE chooses rows before they are grouped, so no sum or count exists yet"],
                        help=["filter groups with HAVING, after GROUP BY"], fixes=fixes)

    def _misplaced_aggregate(self, agg: exp.Expr, where: str, advice: str) -> None:
        self.report.add(codes.SQL_AGGREGATE_PLACE, self.piece.extent(agg),
                        f"aggregate functions are not allowed in {where}", label="an aggregate here",
                        help=[advice])

    def _window_in(self, sel: exp.Select, where: exp.Where | None, win: exp.Window, clause: str) -> None:
        fixes = []
        if where is not None and sel.args.get("group") is None and sel.args.get("qualify") is None \
                and sel.args.get("having") is None and not list(aggregates_in(sel)):
            cond = self.piece.extent(where.this)
            keyword = self.piece.keyword_before(cond[0], TokenType.WHERE) if cond else None
            if keyword is not None and not isinstance(where.this, exp.And):
                fixes.append(self.report.fix("filter with QUALIFY", [(keyword, keyword + 5, "QUALIFY")],
                                             applicable=True))
        self.report.add(codes.SQL_WINDOW_PLACE, self.piece.extent(win),
                        f"window functions are not allowed in {clause}", label="a window function here",
                        notes=[f"windows are computed after {clause} has run"],
                        help=["compute it in a subquery or CTE and filter outside, or use QUALIFY"],
                        fixes=fixes)

    def having(self, scope: Scope) -> None:
        sel = scope.select
        having = sel.args.get("having")
        if not isinstance(having, exp.Having) or sel.args.get("group") is not None:
            return
        if any(True for e in sel.expressions for _ in aggregates_in(e)) or list(aggregates_in(having)):
            return
        cond = self.piece.extent(having.this)
        keyword = self.piece.keyword_before(cond[0], TokenType.HAVING) if cond else None
        where = (keyword, keyword + 6) if keyword is not None else cond
        fixes = []
        if keyword is not None and sel.args.get("where") is None:
            fixes.append(self.report.fix("write WHERE", [(keyword, keyword + 6, "WHERE")], applicable=True))
        self.report.add(codes.SQL_HAVING_NO_GROUP, where, "HAVING without GROUP BY or an aggregate",
                        label="there are no groups to filter", help=["filter rows with WHERE"], fixes=fixes)


def _names_output(node: exp.Expr, scope: Scope) -> bool:
    """Whether an ORDER BY item is a result column's alias or position."""
    if isinstance(node, exp.Literal) and not node.is_string:
        return True
    return isinstance(node, exp.Column) and not node.table and node.name.lower() in scope.aliases
