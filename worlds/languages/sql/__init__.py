"""SQL in four dialects and PRQL, checked by our front end and run in SQLite compiled for WASI."""

from .plugin import Prql, Sql

LANGUAGES = (Sql(), Prql())

__all__ = ["LANGUAGES", "Prql", "Sql"]
