"""Date functions of SQL Server and Oracle whose meaning SQLite's date modifiers cannot keep.

The front end (:mod:`.vendor`) rewrites ``DATEADD``, ``DATEDIFF``,
``ADD_MONTHS``, ``MONTHS_BETWEEN``, ``TO_DATE`` and ``TO_CHAR`` into calls of
these ``worlds_*`` helpers, which run on the host like the other polyfills
(:mod:`.polyfills` registers them). What they keep that SQLite would not:

* month arithmetic ends at the month's end: ``DATEADD(month, 1, '2024-01-31')``
  is ``'2024-02-29'`` (SQLite's ``'+1 month'`` gives ``'2024-03-02'``);
* ``DATEDIFF`` counts unit boundaries crossed (one day from 23:00 to 01:00,
  one year from Dec 31 to Jan 1), not whole units elapsed;
* a value keeps its shape: a date (``'YYYY-MM-DD'``) stays a date, a
  date and time stays ``'YYYY-MM-DD HH:MM:SS'``.

Units reach here already spelled canonically (``year``, ``quarter``,
``month``, ``week``, ``day``, ``hour``, ``minute``, ``second``). A value that
is not a date gives NULL, as SQLite's own date functions do.
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta
from typing import Any

_VALUE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
                    r"\s*(?:Z|[+-]\d{2}:?\d{2})?\s*$")
_TIMED_UNITS = frozenset({"hour", "minute", "second"})


def _parse(value: Any) -> tuple[datetime, bool] | None:
    """ISO text as a datetime, and whether it had a time of day."""
    if not isinstance(value, str):
        return None
    m = _VALUE.match(value)
    if not m:
        return None
    y, mo, d, h, mi, s = (int(g) if g else 0 for g in m.groups())
    try:
        return datetime(y, mo, d, h, mi, s), m.group(4) is not None
    except ValueError:
        return None


def _shape(t: datetime, timed: bool) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S" if timed else "%Y-%m-%d")


def _count(n: Any) -> int | None:
    """A number of units as SQL Server takes it: truncated toward zero."""
    if n is None:
        return None
    if isinstance(n, (int, float)) and not isinstance(n, bool):
        return int(n)
    try:
        return int(float(str(n).strip()))
    except ValueError:
        raise ValueError(f"not a number of units: {n!r}") from None


def _add_months(t: datetime, months: int, *, keep_end: bool = False) -> datetime | None:
    total = t.year * 12 + (t.month - 1) + months
    year, month = divmod(total, 12)
    if not 1 <= year <= 9999:
        return None
    last = calendar.monthrange(year, month + 1)[1]
    at_end = t.day == calendar.monthrange(t.year, t.month)[1]
    day = last if keep_end and at_end else min(t.day, last)
    return t.replace(year=year, month=month + 1, day=day)


def dateadd(unit: Any, n: Any, value: Any) -> str | None:
    """SQL Server's ``DATEADD(unit, n, value)``."""
    count = _count(n)
    parsed = _parse(value)
    if count is None or parsed is None:
        return None
    t, timed = parsed
    kind = str(unit)
    try:
        if kind in ("year", "quarter", "month"):
            moved = _add_months(t, count * {"year": 12, "quarter": 3, "month": 1}[kind])
        else:
            seconds = {"week": 604800, "day": 86400, "hour": 3600, "minute": 60, "second": 1}[kind]
            moved = t + timedelta(seconds=count * seconds)
    except OverflowError:
        return None
    if moved is None or not 1 <= moved.year <= 9999:
        return None
    return _shape(moved, timed or kind in _TIMED_UNITS)


def _index(t: datetime, unit: str) -> int:
    """Which ``unit`` ``t`` falls in, counted from a fixed origin: DATEDIFF subtracts two of these."""
    day = t.toordinal()
    if unit == "year":
        return t.year
    if unit == "quarter":
        return t.year * 4 + (t.month - 1) // 3
    if unit == "month":
        return t.year * 12 + t.month - 1
    if unit == "week":  # weeks start on Sunday; ordinal 7 (0001-01-07) is a Sunday
        return day // 7
    if unit == "day":
        return day
    if unit == "hour":
        return day * 24 + t.hour
    if unit == "minute":
        return (day * 24 + t.hour) * 60 + t.minute
    return ((day * 24 + t.hour) * 60 + t.minute) * 60 + t.second


def datediff(unit: Any, start: Any, end: Any) -> int | None:
    """SQL Server's ``DATEDIFF(unit, start, end)``: the ``unit`` boundaries crossed from start to end."""
    a, b = _parse(start), _parse(end)
    if a is None or b is None:
        return None
    return _index(b[0], str(unit)) - _index(a[0], str(unit))


def add_months(value: Any, n: Any) -> str | None:
    """Oracle's ``ADD_MONTHS``: the last day of a month goes to the last day of the target month."""
    count = _count(n)
    parsed = _parse(value)
    if count is None or parsed is None:
        return None
    moved = _add_months(parsed[0], count, keep_end=True)
    return None if moved is None else _shape(moved, parsed[1])


def months_between(later: Any, earlier: Any) -> int | float | None:
    """Oracle's ``MONTHS_BETWEEN``: whole months when the days of month agree (or both are month
    ends), else a fraction of a 31-day month for the rest, time of day included."""
    a, b = _parse(later), _parse(earlier)
    if a is None or b is None:
        return None
    x, y = a[0], b[0]
    months = (x.year * 12 + x.month) - (y.year * 12 + y.month)
    x_end = x.day == calendar.monthrange(x.year, x.month)[1]
    y_end = y.day == calendar.monthrange(y.year, y.month)[1]
    if x.day == y.day or (x_end and y_end):
        return months
    seconds = (x.day - y.day) * 86400 + (x.hour - y.hour) * 3600 + (x.minute - y.minute) * 60 \
        + (x.second - y.second)
    return months + seconds / (31 * 86400)


def strptime(value: Any, fmt: Any) -> str | None:
    """Text read with a strftime-style format (``TO_DATE``): a date, or a date and time when the
    format reads a time of day."""
    if value is None or fmt is None:
        return None
    try:
        t = datetime.strptime(str(value).strip(), str(fmt))
    except ValueError:
        return None
    return _shape(t, any(d in str(fmt) for d in ("%H", "%I", "%M", "%S")))


def strftime(value: Any, fmt: Any) -> str | None:
    """A date written with a strftime format, with the directives SQLite 3.42 lacks (``%b``, ``%y``,
    ``%I``, ``%p``...; month and day names in English)."""
    parsed = _parse(value)
    if parsed is None or fmt is None:
        return None
    return parsed[0].strftime(str(fmt))


# Oracle's datetime format model (TO_CHAR), longest element first.
_ORACLE_ELEMENTS = ("YYYY", "MONTH", "HH24", "HH12", "IYYY", "DDD", "DAY", "MON", "YYY", "DY", "DD", "MM",
                    "YY", "HH", "MI", "SS", "AM", "PM", "IW", "FM", "Q", "D")


def to_char(value: Any, fmt: Any) -> str | None:
    """Oracle's ``TO_CHAR(date, format)``: names padded to their longest unless after ``FM``, and
    written in the case of the element (``MON`` MAR, ``Mon`` Mar, ``mon`` mar)."""
    parsed = _parse(value)
    if parsed is None or fmt is None:
        return None
    t = parsed[0]
    text, out, i, fill = str(fmt), [], 0, True
    while i < len(text):
        if text[i] == '"':
            close = text.find('"', i + 1)
            close = len(text) if close < 0 else close
            out.append(text[i + 1:close])
            i = close + 1
            continue
        element = next((e for e in _ORACLE_ELEMENTS if text[i:i + len(e)].upper() == e), None)
        if element is None:
            if text[i].isalpha():
                raise ValueError(f"TO_CHAR: unknown format element at {text[i:]!r}")
            out.append(text[i])
            i += 1
            continue
        written = text[i:i + len(element)]
        i += len(element)
        if element == "FM":
            fill = not fill
            continue
        out.append(_element(t, element, written, fill))
    return "".join(out)


def _element(t: datetime, element: str, written: str, fill: bool) -> str:
    numbers = {"YYYY": f"{t.year:04d}", "YYY": f"{t.year % 1000:03d}", "YY": f"{t.year % 100:02d}",
               "MM": f"{t.month:02d}", "DD": f"{t.day:02d}", "DDD": f"{t.timetuple().tm_yday:03d}",
               "HH24": f"{t.hour:02d}", "HH12": f"{(t.hour - 1) % 12 + 1:02d}",
               "HH": f"{(t.hour - 1) % 12 + 1:02d}", "MI": f"{t.minute:02d}", "SS": f"{t.second:02d}",
               "Q": str((t.month - 1) // 3 + 1), "D": str(t.isoweekday() % 7 + 1),
               "IW": f"{t.isocalendar()[1]:02d}", "IYYY": f"{t.isocalendar()[0]:04d}"}
    if element in numbers:
        value = numbers[element]
        return value if fill or len(value) < 2 else value.lstrip("0") or "0"
    names = {"MONTH": (t.strftime("%B"), 9), "MON": (t.strftime("%b"), 3), "DAY": (t.strftime("%A"), 9),
             "DY": (t.strftime("%a"), 3), "AM": (t.strftime("%p"), 2), "PM": (t.strftime("%p"), 2)}
    name, width = names[element]
    if written.isupper():
        name = name.upper()
    elif written.islower():
        name = name.lower()
    return name.ljust(width) if fill else name
