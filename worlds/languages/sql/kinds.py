"""What type an expression certainly has: INTEGER, REAL, TEXT, DATE or TIMESTAMP (or None: unknown).

SQLite itself has no DATE type; here DATE and TIMESTAMP mark ISO text made by
a cast (``x::date``), a date literal or a date function, so the rewrites
know that ``d + 7`` adds days and the checks know that a column is text.
"""

from __future__ import annotations

from sqlglot import exp

_CAST_TYPES = {
    "INT": "INTEGER", "INTEGER": "INTEGER", "BIGINT": "INTEGER", "SMALLINT": "INTEGER", "TINYINT": "INTEGER",
    "UBIGINT": "INTEGER", "HUGEINT": "INTEGER", "BOOLEAN": "INTEGER", "FLOAT": "REAL", "DOUBLE": "REAL",
    "REAL": "REAL", "DECIMAL": "REAL", "NUMERIC": "REAL", "BIGDECIMAL": "REAL", "TEXT": "TEXT",
    "VARCHAR": "TEXT", "CHAR": "TEXT", "NVARCHAR": "TEXT", "NCHAR": "TEXT", "STRING": "TEXT", "DATE": "DATE",
    "TIMESTAMP": "TIMESTAMP", "DATETIME": "TIMESTAMP", "TIMESTAMPTZ": "TIMESTAMP",
    "TIMESTAMPLTZ": "TIMESTAMP",
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
    if isinstance(node, exp.Subquery) and isinstance(node.this,
                                                     exp.Select) and len(node.this.expressions) == 1:
        return infer(node.this.expressions[0], types)
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
    if isinstance(node, exp.DPipe):
        return "TEXT"
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
