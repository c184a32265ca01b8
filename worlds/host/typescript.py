"""JSON Schema as TypeScript types: how host functions are declared to the model.

Models read TypeScript declarations fluently; a function's parameters and
result arrive here as JSON Schema (from pydantic for a Python function, from
``inputSchema`` for an MCP tool), so one translation serves both.
"""

from __future__ import annotations

import json
import re
from typing import Any

_IDENT = re.compile(r"^[A-Za-z_$][\w$]*$")
_PRIMITIVE = {"string": "string", "integer": "number", "number": "number", "boolean": "boolean",
              "null": "null", "array": "any[]", "object": "Record<string, any>"}


def ts_type(schema: Any, defs: dict[str, Any] | None = None, depth: int = 0) -> str:
    """The TypeScript type of a JSON Schema (``defs``: its ``$defs``, for ``$ref``)."""
    if not isinstance(schema, dict) or depth > 6:
        return "any"
    defs = {**(defs or {}), **schema.get("$defs", {})}
    if "$ref" in schema:
        target = defs.get(str(schema["$ref"]).rsplit("/", 1)[-1])
        return ts_type(target, defs, depth + 1)
    if "const" in schema:
        return json.dumps(schema["const"])
    if "enum" in schema:
        return " | ".join(json.dumps(v) for v in schema["enum"]) or "never"
    for key in ("anyOf", "oneOf"):
        if key in schema:
            parts = dict.fromkeys(ts_type(s, defs, depth + 1) for s in schema[key])
            return " | ".join(parts) or "any"
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return ts_type(schema["allOf"][0], defs, depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        return " | ".join(ts_type({**schema, "type": k}, defs, depth + 1) for k in kind)
    if kind == "array":
        items = schema.get("items")
        if isinstance(schema.get("prefixItems"), list):
            return "[" + ", ".join(ts_type(s, defs, depth + 1) for s in schema["prefixItems"]) + "]"
        inner = ts_type(items, defs, depth + 1) if items else "any"
        return f"({inner})[]" if "|" in inner else f"{inner}[]"
    if kind == "object" or "properties" in schema:
        return object_type(schema, defs, depth)
    return _PRIMITIVE.get(str(kind), "any")


def object_type(schema: dict[str, Any], defs: dict[str, Any] | None = None, depth: int = 0) -> str:
    """``{ id: number; note?: string }`` for an object schema; optional keys marked."""
    props = schema.get("properties")
    extra = schema.get("additionalProperties")
    if not isinstance(props, dict) or not props:
        if isinstance(extra, dict):
            return f"Record<string, {ts_type(extra, defs, depth + 1)}>"
        return "Record<string, any>"
    required = set(schema.get("required", []))
    fields = []
    for name, sub in props.items():
        key = name if _IDENT.match(name) else json.dumps(name)
        fields.append(f"{key}{'' if name in required else '?'}: {ts_type(sub, defs, depth + 1)}")
    return "{ " + "; ".join(fields) + " }"
