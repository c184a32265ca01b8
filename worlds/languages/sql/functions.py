"""What the guest can call: SQLite's functions, the polyfills, and other dialects' names.

The polyfills' names are read from :mod:`.polyfills` itself (the functions
the guest calls on the host), so the two cannot disagree. :data:`FOREIGN` holds
functions of other databases that SQLite spells differently and that no
rewrite covers; their diagnostic says what to write instead.
"""

from __future__ import annotations

from functools import cache
from types import ModuleType

from . import polyfills as _polyfills
from .builtins import FUNCTIONS as SQLITE_FUNCTIONS
from .builtins import TABLE_FUNCTIONS


def polyfills() -> ModuleType:
    """The module of functions SQLite lacks (:mod:`.polyfills`)."""
    return _polyfills


@cache
def polyfill_names() -> frozenset[str]:
    mod = polyfills()
    return frozenset(mod.SCALARS) | frozenset(mod.AGGREGATES)


@cache
def polyfill_aggregates() -> frozenset[str]:
    return frozenset(polyfills().AGGREGATES)


@cache
def date_trunc_units() -> frozenset[str]:
    return frozenset(polyfills().DATE_TRUNC_UNITS)


@cache
def callable_names() -> frozenset[str]:
    """Every function name a query may call in the guest (helpers for rewrites left out)."""
    return (SQLITE_FUNCTIONS | polyfill_names()) - {n for n in polyfill_names() if n.startswith("worlds_")}


#: SQLite's own aggregate functions (``min``/``max`` with one argument).
SQLITE_AGGREGATES = frozenset({"avg", "count", "group_concat", "max", "min", "sum", "total",
                               "json_group_array", "json_group_object"})
#: Functions that exist only as window functions (they need ``OVER``).
WINDOW_ONLY = frozenset({"row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag",
                         "lead", "first_value", "last_value", "nth_value"})


def is_aggregate_name(name: str, args: int = 1) -> bool:
    lower = name.lower()
    if lower in ("min", "max"):
        return args == 1
    return lower in SQLITE_AGGREGATES or lower in polyfill_aggregates()


#: Functions of other databases with no rewrite: what to write in SQLite instead.
FOREIGN: dict[str, str] = {
    "nvl": "`coalesce(x, fallback)`",
    "nvl2": "`CASE WHEN x IS NOT NULL THEN a ELSE b END`",
    "isnull": "`x IS NULL` (or `ifnull(x, fallback)`)",
    "len": "`length(x)`",
    "datalength": "`length(CAST(x AS BLOB))`",
    "char_length": "`length(x)`",
    "character_length": "`length(x)`",
    "getdate": "`datetime('now')` (the world's clock)",
    "sysdate": "`datetime('now')` (the world's clock)",
    "systimestamp": "`datetime('now')` (the world's clock)",
    "getutcdate": "`datetime('now')` (the world's clock)",
    "charindex": "`instr(text, part)` (note the order: the text first)",
    "dateadd": "`date(d, '+7 days')` (or `'+1 month'`, `'-1 year'`)",
    "datepart": "`strftime('%Y', d)` (`%m` month, `%d` day, `%H` hour, `%w` weekday)",
    "datename": "`strftime('%m', d)` and a CASE for the name",
    "convert": "`CAST(x AS type)`",
    "to_timestamp": "`datetime(x)` for ISO text, `datetime(x, 'unixepoch')` for seconds",
    "str_to_date": "`date(x)` for ISO text; reorder other formats with `substr`",
    "to_date": "`date(x)` for ISO text; reorder other formats with `substr`",
    "generate_series": "a recursive CTE: `WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n "
                       "WHERE x < 10) SELECT x FROM n`",
    "unnest": "`json_each(json_array_text)` in FROM",
    "array_length": "`json_array_length(x)` on JSON text",
    "listagg": "`group_concat(x, ', ')`",
    "decode": "`CASE x WHEN a THEN b ... END`",
    "rownum": "`row_number() OVER (ORDER BY ...)`",
    "uuid": "no random ids in a world: number rows with `row_number() OVER (...)`",
    "gen_random_uuid": "no random ids in a world: number rows with `row_number() OVER (...)`",
    "newid": "no random ids in a world: number rows with `row_number() OVER (...)`",
    "rand": "`random()` (seeded by the world)",
    "md5": "no hash functions in SQLite; compare values directly",
    "sha1": "no hash functions in SQLite; compare values directly",
    "sha256": "no hash functions in SQLite; compare values directly",
    "array_to_string": "`group_concat(x, sep)` over the rows instead of an array",
    "string_to_array": "`json_each` over JSON text, or `split_part(text, sep, n)`",
    "jsonb_extract_path_text": "`json_extract(x, '$.a.b')` or `x ->> '$.a.b'`",
    "json_extract_path_text": "`json_extract(x, '$.a.b')` or `x ->> '$.a.b'`",
    "json_value": "`json_extract(x, '$.path')`",
    "to_json": "`json_object(...)` or `json_array(...)`",
    "last_day": "`date(d, 'start of month', '+1 month', '-1 day')`",
    "weekday": "`(CAST(strftime('%w', d) AS INTEGER) + 6) % 7` (Monday is 0)",
    "dayname": "`strftime('%w', d)` (0 is Sunday) and a CASE for the name",
    "monthname": "`strftime('%m', d)` and a CASE for the name",
    "timestampdiff": "`CAST(julianday(b) - julianday(a) AS INTEGER)` for days",
    "unix_timestamp": "`unixepoch(d)`",
    "from_unixtime": "`datetime(seconds, 'unixepoch')`",
    "epoch": "`unixepoch(d)`",
    "space": "`printf('%*s', n, '')`",
    "ascii": "`unicode(x)`",
    "chr": "`char(n)`",
    "bit_length": "`length(CAST(x AS BLOB)) * 8`",
    "octet_length": "`length(CAST(x AS BLOB))`",
    "translate": "nested `replace(x, 'a', 'b')` calls",
    "soundex": "no soundex in this SQLite; compare `lower(x)` or use LIKE",
    "difference": "no soundex in this SQLite; compare `lower(x)` or use LIKE",
    "corr": "compute it from sums: `(n*sum(x*y) - sum(x)*sum(y)) / sqrt(...)`",
    "covar_pop": "compute it from sums: `avg(x*y) - avg(x)*avg(y)`",
    "covar_samp": "compute it from sums",
}

#: Names SQLite accepts in FROM as tables: its table-valued functions and its catalog.
SYSTEM_TABLES = TABLE_FUNCTIONS | frozenset({"sqlite_master", "sqlite_schema", "sqlite_temp_master",
                                              "sqlite_temp_schema", "sqlite_sequence", "pragma_index_list",
                                              "pragma_table_xinfo", "pragma_index_info"})


#: SQLite functions a query has no use for (connection counters, planner hints, build facts).
_INTERNAL = frozenset({"changes", "total_changes", "last_insert_rowid", "likelihood", "likely", "unlikely",
                       "subtype", "zeroblob", "randomblob", "sqlite_compileoption_get",
                       "sqlite_compileoption_used", "sqlite_source_id", "sqlite_version"})
_MATH = frozenset({"abs", "ceil", "ceiling", "degrees", "exp", "floor", "ln", "log", "log10", "log2", "mod",
                   "pi", "pow", "power", "radians", "round", "sign", "sqrt", "trunc"})
_TRIG = frozenset({"acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "cos", "cosh", "sin", "sinh",
                   "tan", "tanh"})
_DATES = frozenset({"date", "time", "datetime", "julianday", "strftime", "unixepoch", "current_date",
                    "current_time", "current_timestamp", "date_trunc", "iso_week", "iso_year"})
_OTHER = frozenset({"coalesce", "ifnull", "iif", "nullif", "typeof", "random", "quote"})


def summary() -> list[str]:
    """What a query can call, grouped, as the card lists it: SQLite's own functions, the ones
    worlds adds (marked +), and the other dialects' spellings the front end translates."""
    own = SQLITE_FUNCTIONS - _INTERNAL
    added = polyfill_names() - {n for n in polyfill_names() if n.startswith("worlds_")} - {"regexp_i_like"}
    added |= {"left", "right"}  # called as worlds_left/worlds_right (join keywords to SQLite's parser)
    everything = own | added
    aggregates = (SQLITE_AGGREGATES | polyfill_aggregates()) & everything

    def names(group: frozenset[str] | set[str]) -> str:
        return " ".join(sorted((n + "+" if n in added else n) for n in group))

    text = everything - aggregates - WINDOW_ONLY - _MATH - _TRIG - _DATES - _OTHER - {
        n for n in everything if n.startswith("json")}
    return [
        "functions (SQL; + marks those worlds adds to SQLite):",
        f"  aggregate: {names(aggregates)}",
        f"  window (with OVER): {names(WINDOW_ONLY)}, and every aggregate",
        f"  math: {names(_MATH & everything)}; {names(_TRIG)}",
        f"  text: {names(text)} (regexp_replace changes the first match, as in Postgres; "
        "every match with the flag 'g': regexp_replace(s, '[0-9]', '9', 'g'))",
        f"  dates (ISO text; 'now' is the world's clock): {names(_DATES & everything)}",
        f"  JSON: {names({n for n in everything if n.startswith('json')})}, -> and ->>, json_each and "
        "json_tree in FROM",
        f"  other: {names(_OTHER)} (random() follows the world's seed; a table's rowid is the row's place in"
        " its file, 1 for the first)",
        "  translated from Postgres, DuckDB and MySQL: string_agg/array_agg/GROUP_CONCAT with ORDER BY, "
        "percentile_cont(f) WITHIN GROUP, EXTRACT/date_part/year(), x + INTERVAL '7 days', DATE_ADD, "
        "date_trunc, ILIKE, ::casts, QUALIFY, DISTINCT ON, GROUP BY ALL, now()",
        "  translated from SQL Server and Oracle: TOP n, DATEADD/DATEDIFF (month ends, boundaries crossed), "
        "DATEPART, GETDATE()/SYSDATE (the world's clock), ISNULL, LEN, CHARINDEX, "
        "CONVERT(VARCHAR(n), d, style), [names], + on text, NVL/NVL2/DECODE, FROM dual, "
        "WHERE ROWNUM <= n, TRUNC(d), TO_CHAR/TO_DATE, ADD_MONTHS, MONTHS_BETWEEN",
    ]
