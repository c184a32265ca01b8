"""Which dialect a query is written in: the order in which to try reading it.

Nothing marks most queries (``SELECT region, SUM(units) FROM sales GROUP BY
1`` means the same everywhere), and those are read as SQLite first: it is
the engine, so a query whose meaning differs between dialects (``5 / 2``,
``LIKE`` and case) keeps SQLite's. Then Postgres, DuckDB and MySQL; SQL
Server (T-SQL) and Oracle are tried only when a spelling of theirs is found,
so an unmarked query is read as it always was.

Some spellings exist only in some dialects; each found outside strings and
comments adds weight to those dialects, and the heaviest is read first
(ties keep the order above). Backticks are MySQL's quotes (``"x"`` is then
text); ``::``, ``ILIKE``, ``DISTINCT ON``, ``date_trunc``, ``string_agg`` are
Postgres's and DuckDB's; ``GROUP BY ALL``, ``QUALIFY``, ``count_if`` and
``strftime(value, format)`` DuckDB's; ``FETCH FIRST`` and ``to_char``
Postgres's; ``DATE_FORMAT``, ``CURDATE``, ``SEPARATOR`` MySQL's. The same
text always gives the same order.
"""

from __future__ import annotations

import re

READING_ORDER = ("sqlite", "postgres", "duckdb", "mysql", "tsql", "oracle")
#: Dialects read only when marked: their meanings differ from SQLite's more than the others'
#: (Oracle's exact `/` and NULLs sorted last, T-SQL's `+` on text), and an unmarked query keeps
#: the readings (and so the diagnostics) it had before they were added.
_MARKED_ONLY = frozenset({"tsql", "oracle"})

_P, _D, _M, _T, _O = "postgres", "duckdb", "mysql", "tsql", "oracle"
_UNITS = (r"(year|yyyy|yy|quarter|qq|q|month|mm|m|dayofyear|dy|y|day|dd|d|week|wk|ww|weekday|dw|w|hour|hh|"
          r"minute|mi|n|second|ss|s|millisecond|ms)")

_MARKERS: list[tuple[re.Pattern[str], tuple[str, ...], int]] = [
    (re.compile(r"`"), (_M,), 3),
    (re.compile(r"::"), (_P, _D), 2),
    (re.compile(r"\bILIKE\b", re.I), (_P, _D), 2),
    (re.compile(r"\bDISTINCT\s+ON\s*\(", re.I), (_P, _D), 2),
    (re.compile(r"\b(GROUP|ORDER)\s+BY\s+ALL\b", re.I), (_D,), 3),
    (re.compile(r"\bQUALIFY\b", re.I), (_D,), 3),
    (re.compile(r"\bFETCH\s+(FIRST|NEXT)\b", re.I), (_P, _O), 2),
    (re.compile(r"\bINTERVAL\s+'", re.I), (_P, _D), 1),
    (re.compile(r"\bINTERVAL\s+\d", re.I), (_M, _D), 1),
    (re.compile(r"\b(date_trunc|string_agg|date_part|array_agg|split_part|regexp_replace)\s*\(", re.I),
     (_P, _D), 1),
    (re.compile(r"\b(to_char|to_date|to_number)\s*\(", re.I), (_P, _O), 1),
    (re.compile(r"\b(strpos|btrim|initcap|now|age|generate_series)\s*\(", re.I), (_P,), 1),
    (re.compile(r"\b(count_if|date_diff|list_agg|strptime|epoch_ms|arg_max|arg_min|regexp_matches|"
                r"regexp_extract|make_date|datepart|list_value|struct_pack)\s*\(", re.I), (_D,), 1),
    # DuckDB's strftime takes the value first; SQLite's takes the format (a string) first.
    (re.compile(r"\bstrftime\s*\(\s*[^'\s)]", re.I), (_D,), 2),
    (re.compile(r"\b(date_format|curdate|curtime|datediff|str_to_date|timestampdiff|unix_timestamp|"
                r"from_unixtime|dayofweek|dayofmonth|dayofyear|lcase|ucase|substring_index|locate|date_sub|"
                r"date_add|if)\s*\(", re.I), (_M,), 1),
    (re.compile(r"\bSEPARATOR\s*'", re.I), (_M,), 3),
    (re.compile(r"\b(year|month|day|hour|minute)\s*\(", re.I), (_M, _D), 1),
    # SQL Server
    (re.compile(r"\bSELECT\s+(ALL\s+|DISTINCT\s+)?TOP\s*\(?\s*\d", re.I), (_T,), 3),
    (re.compile(r"\b(datediff|datediff_big|dateadd|datepart|datename)\s*\(\s*" + _UNITS + r"\s*,", re.I),
     (_T,), 3),
    (re.compile(r"\b(getdate|getutcdate|sysdatetime|sysutcdatetime|charindex|isnull|len|eomonth|"
                r"datefromparts)\s*\(", re.I), (_T,), 2),
    (re.compile(r"\bconvert\s*\(\s*(n?varchar|n?char|int|integer|bigint|smallint|decimal|numeric|float|"
                r"real|date|datetime2?|time|bit|money)\b", re.I), (_T,), 2),
    # [name] quotes a name (SQLite reads it so too); not `a[1]`, `ARRAY[x]` or a list `[1, 2]`.
    (re.compile(r"(?<![\w\]\[])(?<!ARRAY)(?<!ARRAY )\[[A-Za-z_][\w ]*\]", re.I), (_T,), 1),
    (re.compile(r"'\s*\+(?!\s*INTERVAL)|\+\s*'", re.I), (_T,), 1),
    # Oracle
    (re.compile(r"\b(nvl|nvl2|decode|add_months|months_between|listagg)\s*\(", re.I), (_O,), 2),
    (re.compile(r"\b(sysdate|systimestamp|rownum)\b", re.I), (_O,), 3),
    (re.compile(r"\bFROM\s+dual\b", re.I), (_O,), 2),
    # TRUNC(date, 'MM'): a format as the last argument (one level of brackets inside)
    (re.compile(r"\btrunc\s*\((?:[^()]|\([^()]*\))*?,\s*'\s*'\s*\)", re.I), (_O,), 2),
]


def reading_order(masked: str) -> tuple[str, ...]:
    """The dialects to try for ``masked`` (code with strings and comments blanked), best first."""
    weight = dict.fromkeys(READING_ORDER, 0)
    own: set[str] = set()  # SQL Server and Oracle need a spelling of their own, not only a shared one
    for pattern, dialects, points in _MARKERS:
        if pattern.search(masked):
            for dialect in dialects:
                weight[dialect] += points
            if set(dialects) <= _MARKED_ONLY:
                own.update(dialects)
    tried = [d for d in READING_ORDER if d not in _MARKED_ONLY or d in own]
    return tuple(sorted(tried, key=lambda d: (-weight[d], READING_ORDER.index(d))))
