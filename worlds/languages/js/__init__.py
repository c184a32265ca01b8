"""JS-light: JavaScript with Node's fs, path and console, on QuickJS-NG in Wasm."""

from .checker import check, is_module
from .engine import JsOutcome, run
from .plugin import JavaScript

LANGUAGES = (JavaScript(),)

__all__ = ["LANGUAGES", "JavaScript", "JsOutcome", "check", "is_module", "run"]
