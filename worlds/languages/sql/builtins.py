"""The functions of the guest's SQLite (3.42, read from ``pragma_function_list``).

Extension internals (FTS, R-Tree, Geopoly) are left out: a query calling one
is almost certainly a mistake in a world of plain tables.
"""

SQLITE_VERSION = "3.42.0"

FUNCTIONS = frozenset({
    "abs", "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "avg", "ceil", "ceiling",
    "changes", "char", "coalesce", "cos", "cosh", "count", "cume_dist", "current_date",
    "current_time", "current_timestamp", "date", "datetime", "degrees", "dense_rank", "exp",
    "first_value", "floor", "format", "glob", "group_concat", "hex", "ifnull", "iif", "instr",
    "json", "json_array", "json_array_length", "json_error_position", "json_extract",
    "json_group_array", "json_group_object", "json_insert", "json_object", "json_patch",
    "json_quote", "json_remove", "json_replace", "json_set", "json_type", "json_valid",
    "julianday", "lag", "last_insert_rowid", "last_value", "lead", "length", "like",
    "likelihood", "likely", "ln", "log", "log10", "log2", "lower", "ltrim", "max", "min", "mod",
    "nth_value", "ntile", "nullif", "percent_rank", "pi", "pow", "power", "printf", "quote",
    "radians", "random", "randomblob", "rank", "replace", "round", "row_number", "rtrim",
    "sign", "sin", "sinh", "sqlite_compileoption_get", "sqlite_compileoption_used",
    "sqlite_source_id", "sqlite_version", "sqrt", "strftime", "substr", "substring", "subtype",
    "sum", "tan", "tanh", "time", "total", "total_changes", "trim", "trunc", "typeof", "unhex",
    "unicode", "unixepoch", "unlikely", "upper", "zeroblob"
})

#: Table-valued functions SQLite accepts in FROM.
TABLE_FUNCTIONS = frozenset({"json_each", "json_tree", "pragma_table_info", "pragma_function_list"})
