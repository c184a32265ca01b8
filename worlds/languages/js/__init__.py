"""JS-light: JavaScript with Node's fs, path and console, on QuickJS-NG in Wasm."""

from .engine import JsOutcome, run
from .modes import needs_module

__all__ = ["JsOutcome", "needs_module", "run"]
