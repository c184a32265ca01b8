"""Bundled example worlds (data only): used by the demo, the tests and the bench."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from ..errors import WorldError
from ..world import World


def names() -> list[str]:
    """The bundled worlds, by name."""
    root = files(__name__)
    return sorted(p.name for p in root.iterdir() if p.is_dir() and (p / "world.toml").is_file())


def path(name: str) -> Path:
    if name not in names():
        raise WorldError(f"no bundled world {name!r}; bundled worlds: {', '.join(names())}")
    return Path(str(files(__name__) / name))


def load(name: str) -> World:
    """The bundled world ``name``."""
    return World.from_dir(path(name))
