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

from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlglot import exp

from ...diagnostics import codes
from .functions import SYSTEM_TABLES
from .report import Piece, Report
from .schema import Schema, quote
from .suggest import clear_best, nearest

Columns = dict[str, tuple[str, str | None]]  # lower-cased name -> (name, type)
_IMPLICIT = ("rowid", "oid", "_rowid_")
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
    join_pairs: set[tuple[str, str, str]] = field(default_factory=set)  # (column, alias, alias) of ON a.x = b.x
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
        self.ctes: list[dict[str, Relation]] = []

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
                order = node.args.get("order")
                if isinstance(order, exp.Order) and left is not None:
                    self._set_order(order, left)
                return left
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

    def _set_order(self, order: exp.Order, outputs: list[tuple[str, str | None]]) -> None:
        # ORDER BY of a UNION sees only the output names; anything else is left to SQLite.
        del order, outputs

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
        for key in ("where", "group", "having", "qualify", "order"):
            clause = node.args.get(key)
            if clause is not None:
                self.expr(clause, scope, aliases=True)
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
        name = ident.name.lower()
        sides = [s for s in before if s.relation.columns is not None] + \
            ([added] if added is not None and added.relation.columns is not None else [])
        for src in sides:
            cols = src.relation.columns
            if cols is not None and name not in cols:
                where = self.piece.at(ident)
                near = nearest(ident.name, [n for n, _ in cols.values()])
                self.report.add(
                    codes.SQL_UNKNOWN_COLUMN, where, f"`{src.relation.name}` has no column `{ident.name}`",
                    label="named in USING", notes=[_columns_note([src])],
                    help=[f"did you mean `{near[0]}`?"] if near else
                    ["USING (x) needs a column `x` in both tables; otherwise write ON a.x = b.y"])
                return

    def _source(self, item: exp.Expr, scope: Scope, outer: Scope | None) -> Source | None:
        alias = item.alias if isinstance(item, (exp.Table, exp.Subquery, exp.Values, exp.Unnest)) else ""
        if isinstance(item, exp.Table):
            if isinstance(item.this, exp.Func):
                self.expr(item.this, scope, aliases=False)
                fname = item.this.name.lower() if isinstance(item.this, exp.Anonymous) else ""
                cols: Columns | None = {c: (c, None) for c in _JSON_EACH} if fname in ("json_each", "json_tree") \
                    else None
                relation = Relation(alias or fname or "function", cols, "system")
            else:
                relation = self._table(item)
            src = Source(alias or relation.name, relation, item)
        elif isinstance(item, exp.Subquery):
            cols_list = self.query(item.this, outer)
            src = Source(alias, Relation(alias or "subquery", _renamed(cols_list, item), "subquery"), item)
        else:
            if isinstance(item, exp.Values):
                self.query(item, outer)
            src = Source(alias or "source", Relation(alias or "source", None, "system"), item)
        if src.alias:
            scope.sources[src.alias.lower()] = src
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
        if lower in SYSTEM_TABLES or lower.startswith("pragma_") or (db is not None and db.name.lower() in ("temp",)):
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
        if any(t.source.rsplit("/", 1)[-1].lower() == source.lower() for t in self.catalog.schema.tables.values()):
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
            stack.extend(reversed(list(cur.iter_expressions())))

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
            self._remember(col, qualifier, [n for n, _ in cols.values() if n.lower() not in _IMPLICIT],
                           _columns_note([src]))
            return
        level: Scope | None = scope
        first = True
        while level is not None:
            matches = [s for s in level.sources.values() if s.relation.columns and lower in s.relation.columns]
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
        """One diagnostic per unknown column name, its fix covering every use."""
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
                                 applicable=clear_best(qualifier, near) and not known)] if near and where else []
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
        where = self.piece.at(col.this)
        name = col.name
        key = ("ambiguous", name.lower())
        if key in self.unknown:
            return
        self.unknown[key] = Unknown(name, "", [], [], "")  # a marker: report each name once
        tables = [m.alias for m in matches]
        listed = " and ".join(f"`{t}`" for t in tables)
        # When the join makes the columns equal (ON a.x = b.x), either one is right; prefer the
        # side that cannot be NULL.
        equal = any(p[0] == name.lower() and {p[1], p[2]} >= {tables[0].lower(), tables[1].lower()}
                    for p in scope.join_pairs)
        pick = next((m.alias for m in matches if not m.nullable), tables[0])
        fixes = [self.report.fix(f"write `{pick}.{name}`", [(where[0], where[0], f"{pick}.")],
                                 applicable=equal)] if where else []
        notes = [f"`{name}` is a column of both {listed}"]
        if equal:
            notes.append(f"the join makes them equal, so `{pick}.{name}` gives the same value")
        self.report.add(codes.SQL_AMBIGUOUS, where, f"column `{name}` is ambiguous",
                        label=f"in {listed}", notes=notes,
                        help=[f"say which table: {' or '.join(f'`{t}.{name}`' for t in tables)}"], fixes=fixes)

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
                where = self.piece.extent(item)
                out.append((self.piece.source(where) if where else item.sql(), self.type_of(item)))
        return out

    def type_of(self, node: exp.Expr) -> str | None:
        return infer(node, self.types)

    def columns_of(self, scope: Scope) -> Iterator[exp.Column]:
        for col in scope.select.find_all(exp.Column):
            yield col


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


# -- types ------------------------------------------------------------------------------------

_CAST_TYPES = {
    "INT": "INTEGER", "INTEGER": "INTEGER", "BIGINT": "INTEGER", "SMALLINT": "INTEGER", "TINYINT": "INTEGER",
    "UBIGINT": "INTEGER", "HUGEINT": "INTEGER", "BOOLEAN": "INTEGER", "FLOAT": "REAL", "DOUBLE": "REAL",
    "REAL": "REAL", "DECIMAL": "REAL", "NUMERIC": "REAL", "BIGDECIMAL": "REAL", "TEXT": "TEXT",
    "VARCHAR": "TEXT", "CHAR": "TEXT", "NVARCHAR": "TEXT", "NCHAR": "TEXT", "STRING": "TEXT", "DATE": "DATE",
    "TIMESTAMP": "TIMESTAMP", "DATETIME": "TIMESTAMP", "TIMESTAMPTZ": "TIMESTAMP", "TIMESTAMPLTZ": "TIMESTAMP",
}
_DATE_FUNCS: tuple[type[exp.Expr], ...] = (exp.CurrentDate, exp.DateTrunc, exp.TimestampTrunc, exp.DateAdd,
                                            exp.DateSub, exp.Date, exp.LastDay, exp.DateStrToDate)


def cast_type(to: exp.Expr | None) -> str | None:
    if not isinstance(to, exp.DataType):
        return None
    return _CAST_TYPES.get(to.this.name if hasattr(to.this, "name") else str(to.this))


def infer(node: exp.Expr, types: dict[int, str | None]) -> str | None:
    """The type ``node`` certainly has, or None."""
    if isinstance(node, exp.Column):
        return types.get(id(node))
    if isinstance(node, (exp.Paren, exp.Alias)):
        return infer(node.this, types)
    if isinstance(node, exp.Literal):
        if node.is_string:
            return "TEXT"
        return "REAL" if any(c in node.this for c in ".eE") else "INTEGER"
    if isinstance(node, exp.Cast):
        return cast_type(node.args.get("to"))
    if isinstance(node, exp.Count):
        return "INTEGER"
    if isinstance(node, exp.Avg):
        return "REAL"
    if isinstance(node, (exp.Sum, exp.Max, exp.Min, exp.Abs)):
        return infer(node.this, types)
    if isinstance(node, exp.Length):
        return "INTEGER"
    if isinstance(node, _DATE_FUNCS):
        return "DATE"
    if isinstance(node, (exp.CurrentTimestamp, exp.Datetime)):
        return "TIMESTAMP"
    if isinstance(node, (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod)):
        left, right = infer(node.this, types), infer(node.expression, types)
        if left in ("DATE", "TIMESTAMP") and isinstance(node, (exp.Add, exp.Sub)) and right != left:
            return left
        if left in ("INTEGER", "REAL") and right in ("INTEGER", "REAL"):
            return "INTEGER" if left == right == "INTEGER" else "REAL"
        return None
    return None
