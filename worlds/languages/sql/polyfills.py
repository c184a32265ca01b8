"""Functions SQLite 3.42 lacks that queries in other dialects call, as Python UDFs.

They run on the host: SQLite in the guest calls them through the engine's
host-function bridge (:mod:`.engine`), and the stdlib ``sqlite3`` oracle
registers them with :func:`register`. The front end reads :data:`SCALARS` and
:data:`AGGREGATES` to know which names exist, and rewrites other dialects'
spellings (such as ``string_agg(x, ', ' ORDER BY y)``) into calls of these
functions. Patterns a query supplies run on the ``regex`` engine with a
timeout (:data:`deadline`), since no fuel counts the host's work.

Dates are ISO text, as everywhere in a world: ``date_trunc('month', d)``
returns ``'2024-03-01'`` (text) for units of a day or longer and
``'2024-03-05 10:00:00'`` for ``hour``, ``minute`` and ``second``. A value
that is not a date gives NULL, as SQLite's own date functions do.

Every function here is deterministic; an invalid argument (an unknown
``date_trunc`` unit, a broken regular expression) raises, which SQLite
reports as "user-defined function raised exception".
"""

import functools
import json
import math
import re
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, Protocol

import regex  # type: ignore[import-untyped]  # no stubs installed: see _Pattern below

from . import datemath

#: ``deadline.at``: the ``time.monotonic()`` by which a pattern must have
#: matched (per thread: runs of different worlds go on side by side).
deadline = threading.local()

# -- scalar functions --------------------------------------------------------------------

_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
                   r"\s*(?:Z|[+-]\d{2}:?\d{2})?\s*$")
_UNITS = {
    "microsecond": "second", "microseconds": "second", "millisecond": "second",
    "milliseconds": "second", "second": "second", "seconds": "second", "minute": "minute",
    "minutes": "minute", "hour": "hour", "hours": "hour", "day": "day", "days": "day",
    "week": "week", "weeks": "week", "month": "month", "months": "month", "quarter": "quarter",
    "quarters": "quarter", "year": "year", "years": "year", "decade": "decade",
    "decades": "decade", "century": "century", "centuries": "century",
    "millennium": "millennium", "millennia": "millennium",
}
#: The units ``date_trunc`` accepts (the front end checks literal units against it).
DATE_TRUNC_UNITS = frozenset(_UNITS)


def _parse_date(value: Any) -> datetime | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return None
    if not isinstance(value, str):
        return None
    m = _DATE.match(value)
    if not m:
        return None
    y, mo, d, h, mi, s = (int(g) if g else 0 for g in m.groups())
    try:
        return datetime(y, mo, d, h, mi, s)
    except ValueError:
        return None


def date_trunc(unit: Any, value: Any) -> str | None:
    if value is None or unit is None:
        return None
    kind = _UNITS.get(str(unit).strip().lower())
    if kind is None:
        raise ValueError(f"date_trunc: unknown unit {unit!r}")
    t = _parse_date(value)
    if t is None:
        return None
    if kind == "second":
        return t.strftime("%Y-%m-%d %H:%M:%S")
    if kind == "minute":
        return t.strftime("%Y-%m-%d %H:%M:00")
    if kind == "hour":
        return t.strftime("%Y-%m-%d %H:00:00")
    d = t.date()
    if kind == "week":  # ISO weeks start on Monday, as in Postgres and DuckDB
        d -= timedelta(days=d.weekday())
    elif kind == "month":
        d = d.replace(day=1)
    elif kind == "quarter":
        d = date(d.year, (d.month - 1) // 3 * 3 + 1, 1)
    elif kind == "year":
        d = date(d.year, 1, 1)
    elif kind == "decade":
        d = date(d.year // 10 * 10 or 1, 1, 1)
    elif kind == "century":
        d = date((d.year - 1) // 100 * 100 + 1, 1, 1)
    elif kind == "millennium":
        d = date((d.year - 1) // 1000 * 1000 + 1, 1, 1)
    return d.isoformat()


def iso_week(value: Any) -> int | None:
    """The ISO 8601 week number (SQLite 3.42's strftime has no ``%V``)."""
    t = _parse_date(value)
    return None if t is None else t.isocalendar()[1]


def iso_year(value: Any) -> int | None:
    t = _parse_date(value)
    return None if t is None else t.isocalendar()[0]


class _Match(Protocol):
    """The part of ``regex.Match`` used here."""

    def group(self, index: int = 0, /) -> str | None: ...


class _Pattern(Protocol):
    """The part of ``regex.Pattern`` used here (``timeout`` is in seconds, None for no limit)."""

    def search(self, string: str, *, timeout: float | None = None) -> _Match | None: ...

    def sub(self, repl: str, string: str, *, count: int = 0, timeout: float | None = None) -> str: ...


_PATTERNS: dict[tuple[str, str], _Pattern] = {}


def _regex(pattern: str, flags: str = "") -> _Pattern:
    key = (pattern, flags)
    found = _PATTERNS.get(key)
    if found is None:
        options = 0
        for f in flags or "":
            if f == "i":
                options |= regex.IGNORECASE
            elif f in "cg":
                continue
            elif f == "s":
                options |= regex.DOTALL
            elif f in "mn":
                options |= regex.MULTILINE
            else:
                raise ValueError(f"unknown regular expression flag {f!r}")
        if len(_PATTERNS) > 256:
            _PATTERNS.clear()
        found = _PATTERNS[key] = regex.compile(pattern, options)
    return found


def _timeout() -> float | None:
    """Seconds the run has left for matching a pattern (None: no limit); TimeoutError past it."""
    at = getattr(deadline, "at", None)
    return None if at is None else max(at - time.monotonic(), 0.001)


def regexp(pattern: Any, value: Any) -> int | None:
    """SQLite's ``value REGEXP pattern`` calls ``regexp(pattern, value)``."""
    if pattern is None or value is None:
        return None
    return 1 if _regex(str(pattern)).search(_text(value), timeout=_timeout()) else 0


def regexp_like(value: Any, pattern: Any, flags: Any = "") -> int | None:
    if pattern is None or value is None:
        return None
    return 1 if _regex(str(pattern), flags or "").search(_text(value), timeout=_timeout()) else 0


def regexp_i_like(value: Any, pattern: Any) -> int | None:
    return regexp_like(value, pattern, "i")


def regexp_replace(value: Any, pattern: Any, replacement: Any, flags: Any = "") -> str | None:
    """Postgres and DuckDB semantics: the first match only, unless ``flags`` holds ``g``."""
    if value is None or pattern is None or replacement is None:
        return None
    flags = flags or ""
    count = 0 if "g" in flags else 1
    repl = re.sub(r"\$(\d)", r"\\\1", str(replacement))  # $1 (MySQL) and \1 both mean group 1
    return _regex(str(pattern), flags).sub(repl, _text(value), count=count, timeout=_timeout())


def regexp_extract(value: Any, pattern: Any, group: Any = 0) -> str | None:
    if value is None or pattern is None:
        return None
    m = _regex(str(pattern)).search(_text(value), timeout=_timeout())
    if m is None:
        return None if group is None else ""
    return m.group(int(group or 0))


def regexp_substr(value: Any, pattern: Any) -> str | None:
    if value is None or pattern is None:
        return None
    m = _regex(str(pattern)).search(_text(value), timeout=_timeout())
    return None if m is None else m.group(0)


def concat(*values: Any) -> str:
    """Postgres semantics: NULL arguments are skipped."""
    return "".join(_text(v) for v in values if v is not None)


def concat_ws(separator: Any, *values: Any) -> str | None:
    if separator is None:
        return None
    return _text(separator).join(_text(v) for v in values if v is not None)


def left(value: Any, n: Any) -> str | None:
    if value is None or n is None:
        return None
    s, n = _text(value), int(n)
    return s[:n] if n >= 0 else s[: max(len(s) + n, 0)]


def right(value: Any, n: Any) -> str | None:
    if value is None or n is None:
        return None
    s, n = _text(value), int(n)
    if n >= 0:
        return s[len(s) - n:] if n else ""
    return s[-n:]


def split_part(value: Any, delimiter: Any, n: Any) -> str | None:
    if value is None or delimiter is None or n is None:
        return None
    s, d, n = _text(value), _text(delimiter), int(n)
    parts = s.split(d) if d else [s]
    if n == 0:
        raise ValueError("split_part: field position must not be zero")
    index = n - 1 if n > 0 else len(parts) + n
    return parts[index] if 0 <= index < len(parts) else ""


def lpad(value: Any, length: Any, fill: Any = " ") -> str | None:
    return _pad(value, length, fill, left=True)


def rpad(value: Any, length: Any, fill: Any = " ") -> str | None:
    return _pad(value, length, fill, left=False)


def _pad(value: Any, length: Any, fill: Any, *, left: bool) -> str | None:
    """``value`` cut or filled with ``fill`` to ``length`` characters (Postgres semantics)."""
    if value is None or length is None or fill is None:
        return None
    s, n, f = _text(value), int(length), _text(fill)
    if n <= len(s) or not f:
        return s[: max(n, 0)]
    pad = (f * (n // len(f) + 1))[: n - len(s)]
    return pad + s if left else s + pad


_MAX_TEXT = 8_000_000


def repeat(value: Any, n: Any) -> str | None:
    if value is None or n is None:
        return None
    s, times = _text(value), int(n)
    if len(s) * max(times, 0) > _MAX_TEXT:
        raise ValueError("string or blob too big")
    return s * max(times, 0)


def reverse(value: Any) -> str | None:
    return None if value is None else _text(value)[::-1]


def initcap(value: Any) -> str | None:
    if value is None:
        return None
    return re.sub(r"[A-Za-z0-9]+", lambda m: m.group(0)[0].upper() + m.group(0)[1:].lower(), _text(value))


def starts_with(value: Any, prefix: Any) -> int | None:
    if value is None or prefix is None:
        return None
    return 1 if _text(value).startswith(_text(prefix)) else 0


def ends_with(value: Any, suffix: Any) -> int | None:
    if value is None or suffix is None:
        return None
    return 1 if _text(value).endswith(_text(suffix)) else 0


def _text(value: Any) -> str:
    """``value`` as SQLite turns it into text (REAL with 15 significant digits)."""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        if math.isinf(value):
            return "Inf" if value > 0 else "-Inf"
        text = f"{value:.15g}"
        return text if any(c in text for c in ".en") else text + ".0"
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


# -- aggregates (usable as window functions too) -------------------------------------------


class _Values:
    """Collects the non-NULL numbers of a group; ``inverse`` drops the oldest (window frames)."""

    extra: tuple[Any, ...]  # the arguments after the value (e.g. a percentile's fraction)

    def __init__(self) -> None:
        self.values: deque[Any] = deque()

    def step(self, value: Any, *extra: Any) -> None:
        if value is not None:
            self.values.append(_number(value))
            self.extra = extra

    def inverse(self, value: Any, *extra: Any) -> None:
        if value is not None and self.values:
            self.values.popleft()

    def value(self) -> Any:
        return self.compute(list(self.values))

    def finalize(self) -> Any:
        return self.value()

    def compute(self, values: list[Any]) -> Any:
        raise NotImplementedError


def _number(value: Any) -> float:
    if isinstance(value, (int, float)):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0  # what SQLite's sum() makes of text


def _variance(values: list[float], ddof: int) -> float | None:
    n = len(values)
    if n - ddof <= 0:
        return None
    mean = math.fsum(values) / n
    return math.fsum((v - mean) ** 2 for v in values) / (n - ddof)


class _VarSamp(_Values):
    def compute(self, values: list[float]) -> float | None:
        return _variance(values, 1)


class _VarPop(_Values):
    def compute(self, values: list[float]) -> float | None:
        return _variance(values, 0)


class _StddevSamp(_Values):
    def compute(self, values: list[float]) -> float | None:
        v = _variance(values, 1)
        return None if v is None else math.sqrt(v)


class _StddevPop(_Values):
    def compute(self, values: list[float]) -> float | None:
        v = _variance(values, 0)
        return None if v is None else math.sqrt(v)


def _fraction(extra: tuple[Any, ...]) -> float:
    f = float(extra[0]) if extra and extra[0] is not None else 0.5
    if not 0.0 <= f <= 1.0:
        raise ValueError("percentile must be between 0 and 1")
    return f


class _PercentileCont(_Values):
    """``percentile_cont(value, fraction)``: linear interpolation, as in Postgres."""

    def compute(self, values: list[float]) -> float | None:
        if not values:
            return None
        values.sort()
        pos = _fraction(getattr(self, "extra", ())) * (len(values) - 1)
        lo = math.floor(pos)
        hi = min(lo + 1, len(values) - 1)
        return values[lo] + (values[hi] - values[lo]) * (pos - lo)


class _Median(_PercentileCont):
    def step(self, value: Any, *extra: Any) -> None:
        super().step(value)
        self.extra = (0.5,)


class _PercentileDisc(_Values):
    def compute(self, values: list[float]) -> float | None:
        if not values:
            return None
        values.sort()
        index = max(math.ceil(_fraction(getattr(self, "extra", ())) * len(values)) - 1, 0)
        return values[index]


class _Mode(_Values):
    """The most frequent value; ties go to the smallest, so the answer does not depend on order."""

    def step(self, value: Any, *extra: Any) -> None:
        if value is not None:
            self.values.append(value)

    def compute(self, values: list[Any]) -> Any:
        if not values:
            return None
        counts: dict[Any, int] = {}
        for v in values:
            counts[v] = counts.get(v, 0) + 1
        best = max(counts.values())
        return min((v for v, c in counts.items() if c == best), key=_sort_key)


class _AnyValue(_Values):
    """The first non-NULL value of the group in scan order."""

    def step(self, value: Any, *extra: Any) -> None:
        if value is not None:
            self.values.append(value)

    def compute(self, values: list[Any]) -> Any:
        return values[0] if values else None


def _sort_key(value: Any) -> tuple[int, Any]:
    # SQLite's order of storage classes: NULL, numbers, text, blobs.
    if value is None:
        return (0, 0)
    if isinstance(value, (int, float)):
        return (1, value)
    if isinstance(value, str):
        return (2, value)
    return (3, bytes(value))


class _Ordered:
    """``worlds_ordered_concat(value, separator, flags, key...)`` and its JSON sibling.

    ``flags`` is ``'d'`` (DISTINCT) or ``'-'``, then two letters per sort key:
    ``a``/``d`` for the direction and ``f``/``l`` for where NULLs go.
    """

    json = False
    separator: Any  # set by ``step``

    def __init__(self) -> None:
        self.rows: list[tuple[Any, tuple[Any, ...]]] = []
        self.flags = "-"

    def step(self, value: Any, *rest: Any) -> None:
        if self.json:
            flags, keys = rest[0], rest[1:]
            separator: Any = None
        else:
            separator, flags, keys = rest[0], rest[1], rest[2:]
        self.flags = str(flags or "-")
        self.separator = separator
        if value is None and not self.json:
            return
        self.rows.append((value, keys))

    def finalize(self) -> str | None:
        spec = self.flags[1:]
        keys = [(spec[i] == "d", spec[i + 1] == "f") for i in range(0, len(spec) - 1, 2)]

        def compare(a: tuple[Any, tuple[Any, ...]], b: tuple[Any, tuple[Any, ...]]) -> int:
            for index, (desc, nulls_first) in enumerate(keys):
                x = a[1][index] if index < len(a[1]) else None
                y = b[1][index] if index < len(b[1]) else None
                if x is None or y is None:
                    if x is None and y is None:
                        continue
                    return (-1 if nulls_first else 1) * (1 if x is None else -1)
                kx, ky = _sort_key(x), _sort_key(y)
                if kx != ky:
                    return (-1 if kx < ky else 1) * (-1 if desc else 1)
            return 0

        rows = sorted(self.rows, key=functools.cmp_to_key(compare))  # stable: ties keep scan order
        values = [v for v, _ in rows]
        if self.flags[:1] == "d":
            seen: set[tuple[str, Any]] = set()
            unique: list[Any] = []
            for v in values:
                marker = (type(v).__name__ if not isinstance(v, (int, float)) else "n", v)
                if marker not in seen:
                    seen.add(marker)
                    unique.append(v)
            values = unique
        if self.json:
            return json.dumps(values, ensure_ascii=False, separators=(",", ":"))
        if not values:
            return None
        sep = "," if self.separator is None else _text(self.separator)
        return sep.join(_text(v) for v in values)


class _OrderedJson(_Ordered):
    json = True


# -- registry ------------------------------------------------------------------------------

#: Scalar functions by name: (the function, fewest and most arguments).
SCALARS: dict[str, tuple[Callable[..., str | int | float | None], int, int]] = {
    "date_trunc": (date_trunc, 2, 2),
    "iso_week": (iso_week, 1, 1),
    "iso_year": (iso_year, 1, 1),
    "regexp": (regexp, 2, 2),
    "regexp_like": (regexp_like, 2, 3),
    "regexp_i_like": (regexp_i_like, 2, 2),
    "regexp_replace": (regexp_replace, 3, 4),
    "regexp_extract": (regexp_extract, 2, 3),
    "regexp_substr": (regexp_substr, 2, 2),
    "concat": (concat, 1, 32),
    "concat_ws": (concat_ws, 2, 32),
    # LEFT and RIGHT are join keywords in SQLite's grammar: the front end calls these names instead.
    "worlds_left": (left, 2, 2),
    "worlds_right": (right, 2, 2),
    "split_part": (split_part, 3, 3),
    "lpad": (lpad, 2, 3),
    "rpad": (rpad, 2, 3),
    "repeat": (repeat, 2, 2),
    "reverse": (reverse, 1, 1),
    "initcap": (initcap, 1, 1),
    "starts_with": (starts_with, 2, 2),
    "ends_with": (ends_with, 2, 2),
    # SQL Server's and Oracle's date arithmetic, which the front end rewrites into these (datemath.py).
    "worlds_dateadd": (datemath.dateadd, 3, 3),
    "worlds_datediff": (datemath.datediff, 3, 3),
    "worlds_add_months": (datemath.add_months, 2, 2),
    "worlds_months_between": (datemath.months_between, 2, 2),
    "worlds_strptime": (datemath.strptime, 2, 2),
    "worlds_strftime": (datemath.strftime, 2, 2),
    "worlds_to_char": (datemath.to_char, 2, 2),
}

#: Aggregate functions by name: (the class, fewest and most arguments). All work as window functions
#: except the ``worlds_ordered_*`` helpers, which the front end writes for ordered aggregates.
AGGREGATES: dict[str, tuple[type[_Values] | type[_Ordered], int, int]] = {
    "stddev": (_StddevSamp, 1, 1),
    "stddev_samp": (_StddevSamp, 1, 1),
    "stddev_pop": (_StddevPop, 1, 1),
    "variance": (_VarSamp, 1, 1),
    "var_samp": (_VarSamp, 1, 1),
    "var_pop": (_VarPop, 1, 1),
    "median": (_Median, 1, 1),
    "percentile_cont": (_PercentileCont, 2, 2),
    "percentile_disc": (_PercentileDisc, 2, 2),
    "mode": (_Mode, 1, 1),
    "any_value": (_AnyValue, 1, 1),
    "worlds_ordered_concat": (_Ordered, 3, 20),
    "worlds_ordered_json": (_OrderedJson, 2, 20),
}


def register(con: sqlite3.Connection) -> None:
    """Add every polyfill to ``con``."""
    for name, (func, low, high) in SCALARS.items():
        for n in range(low, high + 1) if high - low < 4 else (-1,):
            con.create_function(name, n, func, deterministic=True)
    # The ignores are for typeshed's sqlite3 stubs, which no class with methods satisfies: they
    # declare a window class's ``step`` and ``inverse`` as settable ``Callable[..., object]``
    # attributes, and want an aggregate's ``finalize()`` to return an int only.
    for name, (cls, low, high) in AGGREGATES.items():
        for n in range(low, high + 1) if high - low < 4 else (-1,):
            if issubclass(cls, _Values):
                con.create_window_function(name, n, cls)  # type: ignore[arg-type]
            else:
                con.create_aggregate(name, n, cls)  # type: ignore[arg-type]
