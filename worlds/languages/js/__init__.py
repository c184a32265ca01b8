"""JS-light: JavaScript with Node's fs, path and console, on QuickJS-NG in Wasm."""

from .engine import JsOutcome, is_module, run

__all__ = ["JsOutcome", "is_module", "run"]
