"""Text that is always valid UTF-8, the edit distance behind every "did you mean", and sizes.

JavaScript strings and Python ``str`` may hold lone UTF-16 surrogates, which
UTF-8 cannot encode. Everywhere text crosses into bytes, they become U+FFFD.
"""

from __future__ import annotations

from typing import Any


def well_formed(value: Any) -> Any:
    """``value`` (text, or lists and dicts of it) with lone surrogates as U+FFFD."""
    if isinstance(value, str):
        if any("\ud800" <= c <= "\udfff" for c in value):
            return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        return value
    if isinstance(value, list):
        return [well_formed(v) for v in value]
    if isinstance(value, dict):
        return {well_formed(k): well_formed(v) for k, v in value.items()}
    return value


def utf8(text: str) -> bytes:
    """``text`` as UTF-8, lone surrogates replaced."""
    try:
        return text.encode()
    except UnicodeEncodeError:
        return str(well_formed(text)).encode()


def distance(a: str, b: str) -> int:
    """Edit distance with transpositions (``totla`` is one step from ``total``)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def size(n: float) -> str:
    """A byte count as people read it: ``532 B``, ``17.7 KB``, ``4.9 MB``."""
    for unit in ("B", "KB", "MB"):
        if n < 1024:
            return f"{int(n)} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def counted(n: int, one: str, many: str | None = None) -> str:
    """``1 file``, ``1,200 files``: a count with its noun."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"
