"""The `toolcalls` arm: a world's host functions offered to the model as tools of their own.

The same functions the `codemode` arm calls from one program (``crm.getOrders(...)``)
become tools (``crm_getOrders``) that the model calls one at a time, reading
each result before the next, as agents do with an API's tools today. A call
goes through the same validation and function as in code mode and answers
with its JSON, or ``error: ...``. The answer is delivered with ``write_file``.
"""

from __future__ import annotations

import json
from typing import Any

from worlds import World
from worlds.host.functions import ArgumentError, HostFunction

#: The session tools the toolcalls arm keeps beside the API: how the answer is written.
KEPT = ("write_file",)


def tool_name(function: HostFunction) -> str:
    """A tool name the APIs accept (letters, digits, _ and -): ``crm.getOrders`` -> ``crm_getOrders``."""
    return function.name.replace(".", "_")


def specs(world: World, format: str) -> list[dict[str, Any]]:
    """Each host function of ``world`` as a tool spec in ``format`` ("openai" or "anthropic")."""
    out: list[dict[str, Any]] = []
    for function in world.functions:
        schema = {k: v for k, v in function.schema.items() if k != "title"}
        schema.setdefault("type", "object")
        description = function.doc or function.name
        if format == "openai":
            out.append({"type": "function", "function": {"name": tool_name(function),
                                                          "description": description, "parameters": schema}})
        else:
            out.append({"name": tool_name(function), "description": description, "input_schema": schema})
    return out


def call(world: World, name: str, arguments: Any) -> tuple[str, bool]:
    """Call the tool ``name`` with ``arguments`` (an object, or its JSON text): (answer text, ok)."""
    function = next((f for f in world.functions if tool_name(f) == name), None)
    if function is None:
        return f"error: no tool {name!r}", False
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments or "{}")
        except ValueError as err:
            return f"error: the arguments are not JSON ({err})", False
    try:
        kwargs = function.bind([arguments or {}] if not function.takes_object else [arguments])
        value = function.fn(**kwargs)
    except ArgumentError as err:
        return f"error: {err}", False
    except Exception as err:  # the API's own failure, as a service would report it
        return f"error: {err}", False
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")), True
