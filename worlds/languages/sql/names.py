"""What each name in a statement refers to: tables, aliases, CTEs, columns.

A small resolver in place of sqlglot's ``qualify`` (which is too slow for a
query-per-keystroke loop): one walk per statement builds a :class:`Scope` for
every SELECT (its FROM sources, the select list's aliases, the enclosing
scope for correlated subqueries) and resolves every column against it. It
reports unknown tables and columns, ambiguous columns and text in double
quotes; where it cannot be sure (a source whose columns are unknown, such as
``json_each``) it stays silent. It also infers simple types (INTEGER, REAL,
TEXT, DATE, TIMESTAMP) that the type checks and the date rewrites use.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlglot import exp

from ...diagnostics import codes
from .functions import SYSTEM_TABLES, callable_names
from .kinds import infer
from .report import Piece, Report
from .schema import Schema, quote
from .suggest import clear_best, nearest

Columns = dict[str, tuple[str, str | None]]  # lower-cased name -> (name, type)
_IMPLICIT = ("rowid", "oid", "_rowid_")
_DATE_PARTS = frozenset({"year", "yy", "yyyy", "quarter", "qq", "month", "mm", "m", "week", "wk", "ww", "day",
                         "dd", "d", "dayofyear", "dy", "y", "hour", "hh", "minute", "mi", "n", "second", "ss",
                         "s", "weekday", "dw"})
_JSON_EACH = ("key", "value", "type", "atom", "id", "parent", "fullkey", "path", "json", "root")


@dataclass
class Relation:
    """Something with rows: an input table, a table made in the run, a CTE, a subquery."""

    name: str
    columns: Columns | None  # None: unknown (no column check against it)
    kind: str  # "input", "table", "view", "cte", "subquery", "system"


@dataclass
class Source:
    alias: str  # as written
    relation: Relation
    node: exp.Expr
    nullable: bool = False  # the right side of a LEFT JOIN (or either side of a FULL one)


@dataclass
class Scope:
    """One SELECT's view of names."""

    select: exp.Select
    outer: Scope | None
    sources: dict[str, Source] = field(default_factory=dict)
    aliases: dict[str, exp.Expr] = field(default_factory=dict)
    merged: set[str] = field(default_factory=set)  # USING / NATURAL columns: not ambiguous
    join_pairs: set[tuple[str, str,
                          str]] = field(default_factory=set)  # (column, alias, alias) of ON a.x = b.x
    outputs: list[tuple[str, str | None]] | None = None


class Catalog:
    """The tables a run can see: the world's inputs, then what its statements create."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.created: dict[str, Relation] = {}

    def input(self, name: str) -> Relation | None:
        table = self.schema.table(name)
        if table is None:
            return None
        return Relation(table.name, {c.name.lower(): (c.name, c.type) for c in table.columns}, "input")

    def lookup(self, name: str) -> Relation | None:
        # A temporary table shadows an input of the same name, as in SQLite.
        return self.created.get(name.lower()) or self.input(name)

    def names(self) -> list[str]:
        return [t.name for t in self.schema.tables.values()] + [r.name for r in self.created.values()]


@dataclass
class Unknown:
    """Uses of one unknown column (reported once, with a fix for every use)."""

    name: str
    qualifier: str
    nodes: list[exp.Column]
    candidates: list[str]
    note: str


class Resolver:
    """Resolves the names of one statement and reports those that resolve to nothing."""

    def __init__(self, catalog: Catalog, report: Report, piece: Piece, dialect: str) -> None:
        self.catalog = catalog
        self.report = report
        self.piece = piece
        self.dialect = dialect
        self.types: dict[int, str | None] = {}  # id(Column) -> type
        self.owner: dict[int, tuple[Scope, str]] = {}  # id(Column) -> (scope, source alias lower)
        self.scopes: list[Scope] = []
        self.unknown: dict[tuple[str, str], Unknown] = {}
        self.reported_tables: set[str] = set()
        self.ambiguous: dict[str, tuple[list[exp.Column], Scope, list[Source]]] = {}
        self.ctes: list[dict[str, Relation]] = []

    # -- statements -------------------------------------------------------------------------

    def statement(self, tree: exp.Expr) -> list[tuple[str, str | None]] | None:
        """Resolve one statement; the output columns of its query, if it has one."""
        if isinstance(tree, (exp.Select, exp.SetOperation, exp.Values, exp.Subquery)):
            return self.query(tree, None)
        if isinstance(tree, exp.Create):
            body = tree.args.get("expression")
            if isinstance(body, (exp.Select, exp.SetOperation, exp.Values, exp.Subquery)):
                return self.query(body, None)
            index = tree.this
            if isinstance(index, exp.Index) and isinstance(index.args.get("table"), exp.Table):
                self._table(index.args["table"])
            return None
        with_ = tree.args.get("with_")
        if isinstance(with_, exp.With):
            self.ctes.append({})
            for cte in with_.expressions:
                self._cte(cte, None, bool(with_.args.get("recursive")))
        if isinstance(tree, exp.Insert):
            self._insert(tree)
        elif isinstance(tree, (exp.Update, exp.Delete)):
            self._change(tree)
        return None

    def _insert(self, tree: exp.Insert) -> None:
        this = tree.this
        table = this.this if isinstance(this, exp.Schema) else this
        body = tree.args.get("expression")
        if isinstance(body, exp.Expr):
            self.query(body, None)
        if not isinstance(table, exp.Table):
            return
        relation = self._table(table)
        if relation.columns is None or not isinstance(this, exp.Schema):
            return
        for ident in this.expressions:
            if isinstance(ident, exp.Identifier) and ident.name.lower() not in relation.columns:
                where = self.piece.at(ident)
                near = nearest(ident.name, [n for n, _ in relation.columns.values()])
                fixes = [self.report.fix(f"use `{near[0]}`", [(*where, quote(near[0]))],
                                         applicable=clear_best(ident.name, near))] if near and where else []
                self.report.add(codes.SQL_UNKNOWN_COLUMN, where,
                                f"`{relation.name}` has no column `{ident.name}`",
                                label="named in INSERT", fixes=fixes,
                                notes=[_columns_note([Source(relation.name, relation, table)])])

    def _change(self, tree: exp.Expr) -> None:
        scope = Scope(exp.Select(), None)
        target = self._source(tree.this, scope, None)
        from_ = tree.args.get("from_")
        if isinstance(from_, exp.From):
            self._source(from_.this, scope, None)
        for join in tree.args.get("joins") or []:
            self._join(join, scope, None)
        for assignment in tree.expressions if isinstance(tree, exp.Update) else []:
            if isinstance(assignment, exp.EQ):
                column = assignment.this
                if isinstance(column, exp.Column) and target is not None:
                    self.column(column, Scope(exp.Select(), None, {target.alias.lower(): target}), False)
                self.expr(assignment.expression, scope, aliases=False)
        where = tree.args.get("where")
        if where is not None:
            self.expr(where, scope, aliases=False)

    # -- queries --------------------------------------------------------------------------

    def query(self, node: exp.Expr, outer: Scope | None) -> list[tuple[str, str | None]] | None:
        """Resolve a query and return its output columns (None when they cannot be known)."""
        with_ = node.args.get("with_")
        pushed = False
        if isinstance(with_, exp.With):
            self.ctes.append({})
            pushed = True
            for cte in with_.expressions:
                self._cte(cte, outer, bool(with_.args.get("recursive")))
        try:
            if isinstance(node, exp.Select):
                return self.select(node, outer)
            if isinstance(node, exp.SetOperation):
                left = self.query(node.left, outer)
                self.query(node.right, outer)
                return left  # ORDER BY of a UNION sees only output names: left to SQLite
            if isinstance(node, exp.Subquery):
                return self.query(node.this, outer)
            if isinstance(node, exp.Values):
                width = len(node.expressions[0].expressions) if node.expressions and \
                    isinstance(node.expressions[0], exp.Tuple) else 1
                return [(f"column{i}", None) for i in range(1, width + 1)]
            return None
        finally:
            if pushed:
                self.ctes.pop()

    def _cte(self, cte: exp.Expr, outer: Scope | None, recursive: bool) -> None:
        name = cte.alias
        body = cte.this
        if recursive and isinstance(body, exp.SetOperation):
            seed = self.query(body.left, outer)
            self.ctes[-1][name.lower()] = Relation(name, _renamed(seed, cte), "cte")
        cols = self.query(body, outer)
        self.ctes[-1][name.lower()] = Relation(name, _renamed(cols, cte), "cte")

    def select(self, node: exp.Select, outer: Scope | None) -> list[tuple[str, str | None]] | None:
        scope = Scope(node, outer)
        self.scopes.append(scope)
        from_ = node.args.get("from_")
        if isinstance(from_, exp.From):
            self._source(from_.this, scope, outer)
        for join in node.args.get("joins") or []:
            self._join(join, scope, outer)
        for item in node.expressions:
            if isinstance(item, exp.Alias):
                scope.aliases.setdefault(item.alias.lower(), item.this)
        for item in node.expressions:
            self.expr(item, scope, aliases=self.dialect == "duckdb")
        for key in ("where", "group", "having", "qualify"):
            clause = node.args.get(key)
            if clause is not None:
                self.expr(clause, scope, aliases=True)
        order = node.args.get("order")
        if isinstance(order, exp.Order):
            for ordered in order.expressions:
                target = ordered.this
                # ORDER BY reads a select-list alias before a column of the same name.
                if isinstance(target,
                              exp.Column) and not target.table and target.name.lower() in scope.aliases:
                    continue
                self.expr(ordered, scope, aliases=True)
        distinct = node.args.get("distinct")
        if isinstance(distinct, exp.Distinct) and distinct.args.get("on") is not None:
            self.expr(distinct.args["on"], scope, aliases=True)
        for key in ("limit", "offset"):
            clause = node.args.get(key)
            if clause is not None:
                self.expr(clause, scope, aliases=False)
        scope.outputs = self._outputs(node, scope)
        return scope.outputs

    def _join(self, join: exp.Expr, scope: Scope, outer: Scope | None) -> None:
        before = list(scope.sources.values())
        side = str(join.args.get("side") or "").upper()
        if side in ("RIGHT", "FULL"):
            for src in before:
                src.nullable = True
        added = self._source(join.this, scope, outer)
        if added is not None and side in ("LEFT", "FULL"):
            added.nullable = True
        using = join.args.get("using")
        if using:
            for ident in using:
                scope.merged.add(ident.name.lower())
                self._using_column(ident, before, added)
        if str(join.args.get("method") or "").upper() == "NATURAL" and added is not None:
            new = set(added.relation.columns or {})
            for src in before:
                scope.merged |= new & set(src.relation.columns or {})
        on = join.args.get("on")
        if on is not None:
            self.expr(on, scope, aliases=False)
            for eq in on.find_all(exp.EQ):
                left, right = eq.this, eq.expression
                if isinstance(left, exp.Column) and isinstance(right, exp.Column) \
                        and left.name.lower() == right.name.lower():
                    scope.join_pairs.add((left.name.lower(), left.table.lower(), right.table.lower()))

    def _using_column(self, ident: exp.Expr, before: list[Source], added: Source | None) -> None:
        """``JOIN t USING (x)``: ``x`` must be a column of ``t`` and of the join's left side.

        The left side is every table joined so far, not only the last one: in
        ``a JOIN b USING (k) JOIN c USING (m)``, ``m`` may come from ``a``.
        """
        name = ident.name.lower()
        known = [s for s in before if s.relation.columns is not None]
        if known and len(known) == len(before) and not any(name in (s.relation.columns or {}) for s in known):
            self._using_missing(ident, known, left=len(known) > 1)
            return
        if added is not None and added.relation.columns is not None and name not in added.relation.columns:
            self._using_missing(ident, [added], left=False)

    def _using_missing(self, ident: exp.Expr, sources: list[Source], *, left: bool) -> None:
        where = self.piece.at(ident)
        columns = [n for src in sources for n, _ in (src.relation.columns or {}).values()]
        near = nearest(ident.name, columns)
        message = f"no table left of this JOIN has a column `{ident.name}`" if left else \
            f"`{sources[0].relation.name}` has no column `{ident.name}`"
        self.report.add(
            codes.SQL_UNKNOWN_COLUMN, where, message, label="named in USING", notes=[_columns_note(sources)],
            help=[f"did you mean `{near[0]}`?"] if near else
            ["USING (x) needs a column `x` on both sides of the join; otherwise write ON a.x = b.y"])

    def _source(self, item: exp.Expr, scope: Scope, outer: Scope | None) -> Source | None:
        alias = item.alias if isinstance(item, (exp.Table, exp.Subquery, exp.Values, exp.Unnest)) else ""
        if isinstance(item, exp.Table):
            if isinstance(item.this, exp.Func):
                self.expr(item.this, scope, aliases=False)
                fname = item.this.name.lower() if isinstance(item.this, exp.Anonymous) else ""
                cols: Columns | None = {c: (c, None) for c in _JSON_EACH} if fname in ("json_each",
                                                                                       "json_tree") \
                    else None
                relation = Relation(alias or fname or "function", cols, "system")
            else:
                relation = self._table(item)
            src = Source(alias or relation.name, relation, item)
        elif isinstance(item, exp.Subquery):
            cols_list = self.query(item.this, outer)
            src = Source(alias, Relation(alias or "(subquery)", _renamed(cols_list, item), "subquery"), item)
        else:
            if isinstance(item, exp.Values):
                self.query(item, outer)
            src = Source(alias or "source", Relation(alias or "source", None, "system"), item)
        # An unnamed subquery still provides columns; its key cannot clash with a name.
        scope.sources[src.alias.lower() if src.alias else f"#{len(scope.sources)}"] = src
        return src

    def _table(self, item: exp.Table) -> Relation:
        name = item.name
        db = item.args.get("db")
        lower = name.lower()
        for level in reversed(self.ctes):
            if lower in level:
                return level[lower]
        found = self.catalog.lookup(name)
        if found is not None:
            if found.kind == "input" and found.columns is not None:
                found.columns.update({n: (n, "INTEGER") for n in _IMPLICIT if n not in found.columns})
            return found
        temp = db is not None and db.name.lower() == "temp"
        if lower in SYSTEM_TABLES or lower.startswith("pragma_") or temp:
            return Relation(name, None, "system")
        self._unknown_table(item)
        return Relation(name, None, "system")

    def _unknown_table(self, item: exp.Table) -> None:
        name = item.name
        ident = item.this
        where = self.piece.at(ident) if isinstance(ident, exp.Expr) else None
        if name.lower() in self.reported_tables:
            return
        self.reported_tables.add(name.lower())
        known = self.catalog.names() + [r.name for level in self.ctes for r in level.values()]
        near = nearest(name, known)
        fixes = []
        if near and where is not None:
            fixes.append(self.report.fix(f"use `{near[0]}`", [(*where, quote(near[0]))],
                                         applicable=clear_best(name, near)))
        tables = ", ".join(f"`{t}`" for t in known) or "none"
        notes = [f"the world's tables: {tables}"]
        source = f"{name}.csv"
        if any(t.source.rsplit("/",
                               1)[-1].lower() == source.lower() for t in self.catalog.schema.tables.values()):
            notes.append("a file `x.csv` is the table `x`")
        problem = next((why for path, why in self.catalog.schema.problems.items()
                        if path.rsplit(".", 1)[0].lower().endswith(name.lower())), None)
        if problem:
            notes.append(f"a file of that name could not be read as a table: {problem}")
        self.report.add(codes.SQL_UNKNOWN_TABLE, where, f"no table named `{name}`",
                        label="not a table of this world", notes=notes,
                        help=[f"did you mean `{near[0]}`?"] if near else [], fixes=fixes)

    # -- expressions ----------------------------------------------------------------------

    def expr(self, node: exp.Expr, scope: Scope, *, aliases: bool) -> None:
        """Resolve the columns of ``node``; subqueries get their own scope."""
        stack = [node]
        while stack:
            cur = stack.pop()
            if isinstance(cur, exp.Column):
                self.column(cur, scope, aliases)
                continue
            if isinstance(cur, (exp.Select, exp.SetOperation)):
                self.query(cur, scope)
                continue
            if isinstance(cur, exp.Subquery) and isinstance(cur.this, (exp.Select, exp.SetOperation)):
                self.query(cur.this, scope)
                continue
            children = list(cur.iter_expressions())
            if isinstance(cur, exp.Anonymous) and cur.name.lower() not in callable_names():
                # DATEADD(day, 7, d): an unknown function (reported) may take bare words as units.
                children = [c for c in children if not (isinstance(c, exp.Column) and not c.table
                                                        and c.name.lower() in _DATE_PARTS)]
            stack.extend(reversed(children))

    def column(self, col: exp.Column, scope: Scope, aliases: bool) -> None:
        name = col.name
        if isinstance(col.this, exp.Star):
            if col.table and self._find_alias(col.table, scope) is None:
                self._unknown_alias(col, scope)
            return
        lower = name.lower()
        qualifier = col.table
        if qualifier:
            found = self._find_alias(qualifier, scope)
            if found is None:
                self._unknown_alias(col, scope)
                return
            owner, src = found
            cols = src.relation.columns
            if cols is None:
                return
            if lower in cols:
                self.types[id(col)] = cols[lower][1]
                self.owner[id(col)] = (owner, src.alias.lower())
                return
            names = [n for n, _ in cols.values() if n.lower() not in _IMPLICIT]
            # `o.id` on orders most likely means `order_id`: the table's own key comes first.
            own = src.relation.name.lower().rstrip("s") + "_" + lower
            names.sort(key=lambda n: n.lower() != own)
            self._remember(col, qualifier, names, _columns_note([src]))
            return
        level: Scope | None = scope
        first = True
        while level is not None:
            matches = [s for s in level.sources.values()
                       if s.relation.columns and lower in s.relation.columns]
            if len(matches) == 1 or (matches and lower in level.merged):
                src = matches[0]
                cols = src.relation.columns or {}
                self.types[id(col)] = cols[lower][1]
                self.owner[id(col)] = (level, src.alias.lower())
                return
            if len(matches) > 1:
                self._ambiguous(col, level, matches)
                return
            if first and aliases and lower in level.aliases:
                return
            if any(s.relation.columns is None for s in level.sources.values()):
                return  # a source we cannot see into may hold it
            level, first = level.outer, False
        if self._double_quoted(col):
            candidates = self._visible(scope)
            near = nearest(name, candidates)
            if not near or not clear_best(name, near) or len(name) < 3:
                self._text_in_double_quotes(col)
                return
        candidates = self._visible(scope) + (list(scope.aliases) if aliases else [])
        self._remember(col, "", candidates, _columns_note(list(scope.sources.values())))

    def _visible(self, scope: Scope) -> list[str]:
        out: list[str] = []
        level: Scope | None = scope
        while level is not None:
            for src in level.sources.values():
                out.extend(n for n, _ in (src.relation.columns or {}).values() if n.lower() not in _IMPLICIT)
            level = level.outer
        return out

    def _find_alias(self, qualifier: str, scope: Scope) -> tuple[Scope, Source] | None:
        level: Scope | None = scope
        lower = qualifier.lower()
        while level is not None:
            if lower in level.sources:
                return level, level.sources[lower]
            level = level.outer
        return None

    def _double_quoted(self, col: exp.Column) -> bool:
        where = self.piece.at(col.this)
        return self.dialect != "mysql" and where is not None and self.piece.source(where).startswith('"')

    # -- reports ----------------------------------------------------------------------------

    def _remember(self, col: exp.Column, qualifier: str, candidates: list[str], note: str) -> None:
        key = (qualifier.lower(), col.name.lower())
        found = self.unknown.get(key)
        if found is None:
            self.unknown[key] = Unknown(col.name, qualifier, [col], candidates, note)
        else:
            found.nodes.append(col)

    def report_unknown(self) -> None:
        """One diagnostic per unknown or ambiguous column name, its fix covering every use."""
        for cols, scope, matches in self.ambiguous.values():
            self._report_ambiguous(cols, scope, matches)
        for item in self.unknown.values():
            wheres = [w for c in item.nodes if (w := self.piece.at(c.this)) is not None]
            near = nearest(item.name, item.candidates)
            fixes = []
            if near and wheres:
                fixes.append(self.report.fix(
                    f"use `{near[0]}`" + (f" (all {len(wheres)} uses)" if len(wheres) > 1 else ""),
                    [(*w, quote(near[0])) for w in wheres], applicable=clear_best(item.name, near)))
            shown = f"{item.qualifier}.{item.name}" if item.qualifier else item.name
            help_ = [f"did you mean {' or '.join(f'`{n}`' for n in near)}?"] if near else []
            where = wheres[0] if wheres else None
            also = [((w), "also here") for w in wheres[1:3]]
            self.report.add(codes.SQL_UNKNOWN_COLUMN, where, f"no column named `{shown}`",
                            label="not a column of the tables in scope" if not item.qualifier else
                            f"not a column of `{item.qualifier}`",
                            notes=[item.note], help=help_, fixes=fixes, labels=also)

    def _unknown_alias(self, col: exp.Column, scope: Scope) -> None:
        qualifier = col.table
        ident = col.args.get("table")
        where = self.piece.at(ident) if isinstance(ident, exp.Expr) else None
        key = "alias:" + qualifier.lower()
        if key in self.reported_tables:
            return
        self.reported_tables.add(key)
        in_scope: list[str] = []
        level: Scope | None = scope
        while level is not None:
            in_scope.extend(s.alias for s in level.sources.values())
            level = level.outer
        known = self.catalog.lookup(qualifier) is not None or any(qualifier.lower() in lv for lv in self.ctes)
        near = nearest(qualifier, in_scope)
        fixes = [self.report.fix(f"use `{near[0]}`", [(*where, quote(near[0]))],
                                 applicable=clear_best(qualifier,
                                                       near) and not known)] if near and where else []
        sources = ", ".join(f"`{a}`" for a in in_scope) or "none"
        if known:
            message = f"table `{qualifier}` is not in this query's FROM"
            help_ = [f"join it: `JOIN {qualifier} ON ...`, or use the alias given in FROM"]
            if near:
                help_.append(f"the table is called `{near[0]}` in this query")
        else:
            message = f"no table or alias named `{qualifier}`"
            help_ = [f"did you mean `{near[0]}`?"] if near else []
        self.report.add(codes.SQL_UNKNOWN_TABLE, where, message, label="not in FROM",
                        notes=[f"this query reads from: {sources}"], help=help_, fixes=fixes)

    def _ambiguous(self, col: exp.Column, scope: Scope, matches: list[Source]) -> None:
        found = self.ambiguous.get(col.name.lower())
        if found is None:
            self.ambiguous[col.name.lower()] = ([col], scope, matches)
        else:
            found[0].append(col)

    def _report_ambiguous(self, cols: list[exp.Column], scope: Scope, matches: list[Source]) -> None:
        wheres = [w for c in cols if (w := self.piece.at(c.this)) is not None]
        name = cols[0].name
        tables = [m.alias for m in matches]
        listed = " and ".join(f"`{t}`" for t in tables)
        # When the join makes the columns equal (ON a.x = b.x), either one is right; prefer the
        # side that cannot be NULL.
        equal = any(p[0] == name.lower() and {p[1], p[2]} >= {tables[0].lower(), tables[1].lower()}
                    for p in scope.join_pairs)
        pick = next((m.alias for m in matches if not m.nullable), tables[0])
        uses = f" (all {len(wheres)} uses)" if len(wheres) > 1 else ""
        fixes = [self.report.fix(f"write `{pick}.{name}`" + uses,
                                 [(w[0], w[0],
                                   f"{pick}.") for w in wheres], applicable=equal)] if wheres else []
        notes = [f"`{name}` is a column of both {listed}"]
        if equal:
            notes.append(f"the join makes them equal, so `{pick}.{name}` gives the same value")
        self.report.add(codes.SQL_AMBIGUOUS, wheres[0] if wheres else None, f"column `{name}` is ambiguous",
                        label=f"in {listed}", notes=notes, labels=[(w, "also here") for w in wheres[1:3]],
                        help=[f"say which table: {' or '.join(f'`{t}.{name}`' for t in tables)}"],
                        fixes=fixes)

    def _text_in_double_quotes(self, col: exp.Column) -> None:
        where = self.piece.at(col.this)
        if where is None:
            return
        text = col.name
        literal = "'" + text.replace("'", "''") + "'"
        self.report.add(codes.SQL_DOUBLE_QUOTED, where, f"\"{text}\" is a name, not text",
                        label="no column has this name",
                        notes=["double quotes name columns and tables; text takes single quotes"],
                        help=[f"write {literal}"],
                        fixes=[self.report.fix(f"write {literal}", [(*where, literal)], applicable=True)])

    # -- outputs ------------------------------------------------------------------------------

    def _outputs(self, node: exp.Select, scope: Scope) -> list[tuple[str, str | None]] | None:
        out: list[tuple[str, str | None]] = []
        out_items: list[exp.Expr] = []
        texts: list[str] | None = None
        for item in node.expressions:
            if isinstance(item, exp.Star):
                seen: set[str] = set()
                for src in scope.sources.values():
                    if src.relation.columns is None:
                        return None
                    for lower, (cname, ctype) in src.relation.columns.items():
                        if lower in _IMPLICIT and src.relation.kind == "input":
                            continue
                        if lower in scope.merged and lower in seen:
                            continue
                        seen.add(lower)
                        out.append((cname, ctype))
            elif isinstance(item, exp.Column) and isinstance(item.this, exp.Star):
                found = self._find_alias(item.table, scope)
                if found is None or found[1].relation.columns is None:
                    return None
                out.extend(v for k, v in found[1].relation.columns.items() if k not in _IMPLICIT)
            elif isinstance(item, exp.Alias):
                out.append((item.alias, self.type_of(item.this)))
            elif isinstance(item, exp.Column):
                out.append((item.name, self.type_of(item)))
            else:
                if texts is None:
                    texts = self.piece.item_texts(node) or []
                index = len(out_items)
                text = texts[index] if index < len(texts) else item.sql()
                out.append((text, self.type_of(item)))
            out_items.append(item)
        return out

    def type_of(self, node: exp.Expr) -> str | None:
        return infer(node, self.types)


def _renamed(cols: list[tuple[str, str | None]] | None, node: exp.Expr) -> Columns | None:
    """Output columns keyed by name, renamed by an alias column list (``AS t(a, b)``)."""
    alias = node.args.get("alias")
    names = [c.name for c in alias.columns] if isinstance(alias, exp.TableAlias) and alias.columns else []
    if cols is None:
        return {n.lower(): (n, None) for n in names} if names else None
    out: Columns = {}
    for i, (name, kind) in enumerate(cols):
        shown = names[i] if i < len(names) else name
        out.setdefault(shown.lower(), (shown, kind))
    return out


def _columns_note(sources: list[Source]) -> str:
    parts = []
    for src in sources:
        cols = src.relation.columns
        if cols is None:
            continue
        listed = ", ".join(n for n, _ in cols.values() if n.lower() not in _IMPLICIT)
        label = src.relation.name if src.alias.lower() == src.relation.name.lower() \
            else f"{src.alias} ({src.relation.name})"
        parts.append(f"`{label}` has columns: {listed}")
    return "; ".join(parts) if parts else "no table in scope has known columns"
