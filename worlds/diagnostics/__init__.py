"""Diagnostics: the model, the code registry and the text renderer."""

from .codes import REGISTRY, Code, lookup
from .model import Diagnostic, Fix, Label, Offsets, Position, Severity, Span, TextEdit
from .render import render, render_all

__all__ = [
    "REGISTRY", "Code", "Diagnostic", "Fix", "Label", "Offsets", "Position", "Severity", "Span",
    "TextEdit", "lookup", "render", "render_all",
]
