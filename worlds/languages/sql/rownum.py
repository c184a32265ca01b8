"""Oracle's ROWNUM: numbered as rows are read, before ORDER BY, grouping and DISTINCT.

So ``WHERE ROWNUM <= n`` is ``LIMIT n`` exactly when it is a top-level
condition of a query with none of those (the classic top-n wraps an ordered
subquery, and is then right). With an ORDER BY in the same query it sorts n
rows taken in no particular order: an error whose fix is what was meant,
``ORDER BY ... LIMIT n``. Any other ROWNUM has no SQLite equivalent.
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.tokenizer_core import TokenType

from ...diagnostics import codes
from .report import Piece, Report


class Rownum:
    """Rewrites (or reports) the ROWNUM of one statement."""

    def __init__(self, tree: exp.Expr, piece: Piece, report: Report) -> None:
        self.tree = tree
        self.piece = piece
        self.report = report

    def run(self) -> None:
        for sel in list(self.tree.find_all(exp.Select)):
            where = sel.args.get("where")
            if isinstance(where, exp.Where):
                self._where(sel, where)
        for col in list(self.tree.find_all(exp.Column)):
            if _is_rownum(col):
                self.report.add(codes.SQL_UNSUPPORTED, self.piece.at(col) or self.piece.extent(col),
                                "`ROWNUM` has no equivalent in SQLite here", label="Oracle's row counter",
                                notes=["only `WHERE ROWNUM <= n` in a query without ORDER BY, GROUP BY or "
                                       "DISTINCT is translated (to `LIMIT n`)"],
                                help=["number rows with `row_number() OVER (ORDER BY ...)`, or keep the "
                                      "first rows with `ORDER BY ... LIMIT n`"])
                col.replace(exp.Null())

    def _where(self, sel: exp.Select, where: exp.Where) -> None:
        conjuncts = list(where.this.flatten()) if isinstance(where.this, exp.And) else [where.this]
        found = [(c, n) for c in conjuncts if (n := _rownum_limit(c)) is not None]
        if len(found) != 1:
            return
        cond, count = found[0]
        rest = [c for c in conjuncts if c is not cond]
        blocked = sel.args.get("group") or sel.args.get("distinct") or sel.args.get("limit") \
            or sel.args.get("having") or any(isinstance(n, (exp.AggFunc, exp.Window))
                                             for e in sel.expressions for n in e.walk())
        if blocked:
            return  # left for the diagnostic on every other ROWNUM
        if sel.args.get("order") is not None:
            self._before_order(sel, cond, conjuncts, count)
            return
        if rest:
            where.set("this", exp.and_(*rest))
        else:
            sel.set("where", None)
        count_node = exp.Literal.number(count)
        where_was = self.piece.extent(cond)
        if where_was is not None:  # a diagnostic on the LIMIT (LIMIT without ORDER BY) points here
            base = self.piece.base
            count_node.meta.update(start=where_was[0] - base, end=where_was[1] - base - 1)
        sel.set("limit", exp.Limit(expression=count_node))

    def _before_order(self, sel: exp.Select, cond: exp.Expr, conjuncts: list[exp.Expr], count: int) -> None:
        span = self.piece.extent(cond)
        if span is None:
            return
        index = conjuncts.index(cond)
        others = [self.piece.extent(c) for c in conjuncts]
        cut: tuple[int, int] | None
        if len(conjuncts) == 1:
            keyword = self.piece.keyword_before(span[0], TokenType.WHERE)
            cut = (keyword, span[1]) if keyword is not None else None
        elif index == 0:
            nxt = others[1]
            cut = (span[0], nxt[0]) if nxt else None
        else:
            prev = others[index - 1]
            cut = (prev[1], span[1]) if prev else None
        top = sel is self.tree
        end = self.piece.end
        text = self.piece.text.rstrip()
        if text.endswith(";"):
            end = self.piece.base + len(text) - 1
        fixes = []
        if cut is not None and top:
            # the cut takes the space before it when it ends the clause, so no double space is left
            start = cut[0]
            if index > 0 or len(conjuncts) == 1:
                while start > self.piece.base and self.piece.text[start - 1 - self.piece.base] == " ":
                    start -= 1
            fixes.append(self.report.fix(f"keep the first {count} rows in order: `LIMIT {count}`",
                                         [(start, cut[1], ""), (end, end, f" LIMIT {count}")],
                                         applicable=True))
        self.report.add(codes.SQL_UNSUPPORTED, span, "`ROWNUM` is numbered before ORDER BY",
                        label=f"any {count} rows, then sorted",
                        notes=["Oracle gives rows their ROWNUM as it reads them, so this sorts "
                               f"{count} rows taken in no particular order, not the first {count} in order"],
                        help=[f"remove the condition and end the query with `LIMIT {count}`"], fixes=fixes)
        cond.replace(exp.true())


def _is_rownum(node: exp.Expr) -> bool:
    return isinstance(node, exp.Column) and not node.table and node.name.lower() == "rownum"


def _rownum_limit(cond: exp.Expr) -> int | None:
    """The row count of ``ROWNUM <= n``, ``ROWNUM < n``, ``ROWNUM = 1`` (either way round)."""
    if not isinstance(cond, (exp.LTE, exp.LT, exp.EQ, exp.GTE, exp.GT)):
        return None
    left, right = cond.this, cond.expression
    kind: type[exp.Expr] | None = type(cond)
    if _is_rownum(right) and not _is_rownum(left):  # `3 >= ROWNUM` is `ROWNUM <= 3`
        left, right = right, left
        kind = {exp.GTE: exp.LTE, exp.GT: exp.LT, exp.EQ: exp.EQ}.get(type(cond))
    if not _is_rownum(left) or not isinstance(right, exp.Literal) or right.is_string \
            or not right.this.isdigit():
        return None
    n = int(right.this)
    if kind is exp.LTE:
        return n
    if kind is exp.LT:
        return max(n - 1, 0)
    if kind is exp.EQ and n == 1:
        return 1
    return None
