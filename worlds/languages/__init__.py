"""Language front ends, each a plug-in (:class:`Language`), and the registry that finds them.

Every package here that exports ``LANGUAGES`` adds its languages, in package
order. Each does its own checks and error mapping; none does sandbox work.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from ..errors import WorldError
from .base import Language

__all__ = ["Language", "all_languages", "by_extension", "get", "names", "or_list"]


@cache
def all_languages() -> tuple[Language, ...]:
    """Every language, found once: the packages in name order, each package's in its own order."""
    found: list[Language] = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module.ispkg:
            found += getattr(importlib.import_module(f"{__name__}.{module.name}"), "LANGUAGES", ())
    return tuple(found)


def names() -> tuple[str, ...]:
    return tuple(language.name for language in all_languages())


def get(name: str) -> Language:
    """The language called ``name``; a ``WorldError`` naming the others when there is none."""
    for language in all_languages():
        if language.name == name:
            return language
    raise WorldError(f"unknown language {name!r}; this world runs {', '.join(names())}")


def by_extension(path: str) -> Language | None:
    """The language a file name says (``main.mjs`` is js), or None."""
    dot = path.rfind(".")
    ending = path[dot:].lower() if dot >= 0 else ""
    return next((lang for lang in all_languages() if ending in lang.extensions), None)


def or_list(items: list[str]) -> str:
    """``a, b or c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"
