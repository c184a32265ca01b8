"""Where the guest-side files (``runtime/``) live.

In a wheel they are package data under ``worlds/_runtime``; in a source
checkout they are the top-level ``runtime/`` folder beside the package.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def runtime_dir() -> Path:
    for candidate in (_PACKAGE / "_runtime", _PACKAGE.parent / "runtime"):
        if (candidate / "engines.toml").is_file():
            return candidate
    raise FileNotFoundError("the worlds runtime files are missing: reinstall the package")


def runtime_file(*parts: str) -> Path:
    return runtime_dir().joinpath(*parts)
