"""Raw diagnostics: only what the engine itself said, for the ablation that prices our own.

A session with ``diagnostics="raw"`` skips the static checkers and reports a
failure as the engine's text (QuickJS's ``TypeError: ...`` with its stack,
SQLite's ``no such column: x``, prqlc's message): no span, cause or fix.
"""

from __future__ import annotations

from . import codes
from .model import Diagnostic


def engine(message: str) -> Diagnostic:
    """The engine's ``message``, passed on as it is."""
    return Diagnostic(code=codes.RAW, message=message.strip() or "the program failed")


def plain(found: list[Diagnostic]) -> list[Diagnostic]:
    """``found`` as a plain engine would report it: errors only, each its bare message."""
    return [d if d.code == codes.RAW else engine(d.message) for d in found if d.severity == "error"]
