"""Statements as a whole: their kind, what a world refuses, and the tables a run creates.

Input tables are read-only (the guest's authorizer enforces it; this says
why before anything runs). ``ATTACH``, ``load_extension``, PRAGMA
assignments and ``VACUUM`` are refused. Transaction statements are skipped
with a warning: a run is one transaction that is rolled back. Tables and
views a statement creates join the :class:`~.names.Catalog`, with their
columns, so later statements of the run are checked against them.
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.tokenizer_core import TokenType

from ...diagnostics import codes
from .kinds import cast_type
from .names import Catalog, Relation
from .report import Piece, Report

#: First words of statements that control transactions: skipped (each run is one transaction).
TRANSACTION_WORDS = frozenset({"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"})
_QUERIES = (exp.Select, exp.SetOperation, exp.Values, exp.Subquery, exp.Pragma, exp.Describe)
_WRITES = (exp.Insert, exp.Update, exp.Delete, exp.Merge, exp.TruncateTable)


def kind_of(tree: exp.Expr) -> str:
    if isinstance(tree, _QUERIES):
        return "query"
    if isinstance(tree, _WRITES):
        return "write"
    if isinstance(tree, (exp.Transaction, exp.Commit, exp.Rollback)):
        return "skip"
    return "ddl"


def first_word(piece: Piece) -> str:
    return piece.tokens[0].text.upper() if piece.tokens else ""


def transaction(piece: Piece, report: Report) -> None:
    word = piece.text.split(None, 1)[0].upper() if piece.text.split() else ""
    report.add(codes.SQL_TRANSACTION, (piece.base, piece.end), f"`{word}` is skipped", severity="warning",
               label="not run", notes=["each run is one transaction, rolled back when it ends; "
                                       "later statements see earlier changes"],
               help=["leave transaction statements out"])


def refuse(piece: Piece, report: Report, what: str, why: str, instead: str) -> None:
    report.add(codes.SQL_FORBIDDEN, (piece.base, piece.token_span(0)[1]), f"{what} is not allowed in a world",
               label="refused", notes=[why], help=[instead])


def check(tree: exp.Expr, piece: Piece, report: Report, catalog: Catalog) -> None:
    """Refuse writes to input tables and what a world does not allow."""
    if isinstance(tree, (exp.Attach, exp.Detach)):
        word = "ATTACH" if isinstance(tree, exp.Attach) else "DETACH"
        refuse(piece, report, f"`{word}`", "a world's SQL sees only the world's tables",
               "read the world's tables; `worlds describe` lists them")
        return
    if isinstance(tree, exp.Pragma) and isinstance(tree.this, exp.EQ) and \
            not isinstance(tree.this.expression, exp.Paren) and _pragma_assignment(piece):
        refuse(piece, report, "setting a PRAGMA", "a world's engine settings are fixed",
               "read a pragma without `=`: `PRAGMA table_info(sales)`")
        return
    if isinstance(tree, exp.Command):
        word = str(tree.this).upper()
        if word == "VACUUM":
            refuse(piece, report, "`VACUUM`",
                   "a world's database is in memory and rolled back after each run",
                   "leave it out")
        elif word in ("CREATE", "DROP") and "TRIGGER" in str(tree.expression).upper():
            refuse(piece, report, "a trigger", "a world's statements run as written, one after another",
                   "write the statements the trigger would run")
        return
    target = _target(tree)
    if target is None:
        return
    table, verb = target
    name = table.name
    if catalog.input(name) is None or name.lower() in catalog.created:
        return
    where = piece.at(table.this) if isinstance(table.this, exp.Expr) else None
    copy = f"{name}_copy"
    report.add(codes.SQL_READ_ONLY, where, f"cannot {verb} the input table `{name}`",
               label="input tables are read-only",
               notes=[f"`{name}` comes from the world's file `{catalog.schema.tables[name.lower()].source}`; "
                      "each run is rolled back when it ends, so nothing would persist anyway"],
               help=[f"copy it first: `CREATE TEMP TABLE {copy} AS SELECT * FROM {name};` "
                     f"then change `{copy}`"])


def _pragma_assignment(piece: Piece) -> bool:
    return any(t.token_type == TokenType.EQ for t in piece.tokens)


def _target(tree: exp.Expr) -> tuple[exp.Table, str] | None:
    """The table a statement would change, and the verb for the message."""
    if isinstance(tree, exp.Insert):
        this = tree.this
        table = this.this if isinstance(this, exp.Schema) else this
        return (table, "insert into") if isinstance(table, exp.Table) else None
    if isinstance(tree, exp.Update) and isinstance(tree.this, exp.Table):
        return tree.this, "update"
    if isinstance(tree, exp.Delete) and isinstance(tree.this, exp.Table):
        return tree.this, "delete from"
    if isinstance(tree, exp.TruncateTable) and tree.expressions and isinstance(tree.expressions[0],
                                                                               exp.Table):
        return tree.expressions[0], "truncate"
    if isinstance(tree, exp.Drop):
        tables = tree.args.get("tables") or []
        kind = str(tree.args.get("kind") or "").upper()
        if tables and kind in ("TABLE", "VIEW") and isinstance(tables[0], exp.Table):
            return tables[0], "drop"
        return None
    if isinstance(tree, exp.Alter) and isinstance(tree.this, exp.Table):
        return tree.this, "alter"
    if isinstance(tree, exp.Create):
        kind = str(tree.args.get("kind") or "").upper()
        this = tree.this
        if kind == "INDEX" and isinstance(this, exp.Index):
            table = this.args.get("table")
            return (table, "index") if isinstance(table, exp.Table) else None
        if kind in ("TABLE", "VIEW") and not _temporary(tree) and not tree.args.get("exists"):
            table = this.this if isinstance(this, exp.Schema) else this
            return (table, "replace") if isinstance(table, exp.Table) else None
    return None


def _temporary(tree: exp.Create) -> bool:
    props = tree.args.get("properties")
    return isinstance(props, exp.Properties) and any(isinstance(p, exp.TemporaryProperty)
                                                     for p in props.expressions)


def update_catalog(tree: exp.Expr, catalog: Catalog, outputs: list[tuple[str, str | None]] | None) -> None:
    """Record the tables and views ``tree`` creates, drops or alters (``outputs``: its query's columns)."""
    if isinstance(tree, exp.Create):
        kind = str(tree.args.get("kind") or "").upper()
        if kind not in ("TABLE", "VIEW"):
            return
        this = tree.this
        table = this.this if isinstance(this, exp.Schema) else this
        if not isinstance(table, exp.Table):
            return
        if tree.args.get("exists") and catalog.lookup(table.name) is not None:
            return
        if isinstance(this, exp.Schema):
            cols = {d.name.lower(): (d.name, cast_type(d.args.get("kind")))
                    for d in this.expressions if isinstance(d, exp.ColumnDef)}
            catalog.created[table.name.lower()] = Relation(table.name, cols or None, kind.lower())
        else:
            columns = {n.lower(): (n, t) for n, t in outputs} if outputs is not None else None
            catalog.created[table.name.lower()] = Relation(table.name, columns, kind.lower())
    elif isinstance(tree, exp.Drop):
        for table in tree.args.get("tables") or []:
            if isinstance(table, exp.Table):
                catalog.created.pop(table.name.lower(), None)
    elif isinstance(tree, exp.Alter) and isinstance(tree.this, exp.Table):
        found = catalog.created.get(tree.this.name.lower())
        if found is None:
            return
        for action in tree.args.get("actions") or []:
            if isinstance(action, exp.ColumnDef) and found.columns is not None:
                found.columns[action.name.lower()] = (action.name, cast_type(action.args.get("kind")))
            elif isinstance(action, exp.AlterRename) and isinstance(action.this, exp.Table):
                catalog.created.pop(tree.this.name.lower(), None)
                found.name = action.this.name
                catalog.created[found.name.lower()] = found
            elif isinstance(action, exp.RenameColumn) and found.columns is not None:
                old, new = action.this, action.args.get("to")
                if isinstance(old, exp.Expr) and isinstance(new,
                                                            exp.Expr) and old.name.lower() in found.columns:
                    kind_ = found.columns.pop(old.name.lower())[1]
                    found.columns[new.name.lower()] = (new.name, kind_)
