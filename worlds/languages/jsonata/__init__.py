"""JSONata, an expression language for JSON, run by its own library inside the JS-light engine."""

from .plugin import Jsonata

LANGUAGES = (Jsonata(),)

__all__ = ["LANGUAGES", "Jsonata"]
