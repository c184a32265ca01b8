"""Text that is always valid UTF-8.

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
