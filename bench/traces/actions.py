"""What a tool call did, whatever the agent named its tools: ran a command, wrote or edited files.

The names are those of Claude Code (``Bash``, ``Write``, ``Edit``, ``MultiEdit``), Codex
(``shell``, ``exec_command``, ``apply_patch``), pi (``bash``, ``write``, ``edit``) and the bench's
session tools (``run``, ``check``, ``write_file``, ``edit_file``).
"""

from __future__ import annotations

import re
from typing import Any

SHELLS = {"bash", "shell", "exec_command", "local_shell", "run_terminal_cmd", "shell_command",
          "container.exec", "execute_command"}
RUNS = {"run", "check"}  # the bench's: run or check a program in the world
WRITES = {"write", "write_file", "create_file", "notebookedit"}
EDITS = {"edit", "multiedit", "edit_file", "str_replace_based_edit_tool", "str_replace_editor"}
PATCHES = {"apply_patch"}

_TEST = re.compile(r"\b(pytest|py\.test|unittest|tox|nox|jest|vitest|mocha|rspec|phpunit|ctest)\b"
                   r"|\b(npm|pnpm|yarn|bun|deno|cargo|go|make|mix|dotnet|gradle|mvn|swift|zig)\s+"
                   r"(run\s+)?test\b|\bmake\s+check\b|\btest_\w+\.py\b")
_PATCH_FILE = re.compile(r"^\*\*\* (?:Update|Add|Delete) File: (.+)$|^\+\+\+ (?:b/)?(\S+)", re.M)


def command(call: dict[str, Any]) -> str | None:
    """The command line a call ran, or ``run PATH`` for the bench's runs; None if it ran nothing."""
    name, args = call["name"].lower(), call.get("arguments") or {}
    if name in SHELLS:
        cmd = args.get("command") if "command" in args else args.get("cmd", args.get("input"))
        if isinstance(cmd, list):
            cmd = " ".join(str(c) for c in cmd)
        return str(cmd) if cmd else None
    if name in RUNS:
        return f"{name} {args.get('path') or '<code>'}"
    return None


def is_test(cmd: str) -> bool:
    return bool(_TEST.search(cmd))


def written(call: dict[str, Any]) -> list[str]:
    """The files a call wrote or edited (a bench run with ``content`` writes its file first)."""
    name, args = call["name"].lower(), call.get("arguments") or {}
    if name in WRITES | EDITS or name == "run" and isinstance(args.get("content"), str):
        path = args.get("file_path") or args.get("path") or args.get("notebook_path")
        return [str(path)] if path else []
    if name in PATCHES or name in SHELLS and "apply_patch" in str(args.get("command", "")):
        text = args.get("input") or args.get("patch") or args.get("command")
        text = " ".join(map(str, text)) if isinstance(text, list) else str(text or "")
        return [a or b for a, b in _PATCH_FILE.findall(text)]
    return []


def edits(call: dict[str, Any]) -> list[tuple[str, str | None, str]]:
    """``(path, old, new)`` for each change a call made; ``old`` is None for a whole-file write."""
    name, args = call["name"].lower(), call.get("arguments") or {}
    path = str(args.get("file_path") or args.get("path") or "")
    if name in ("edit", "edit_file", "str_replace_based_edit_tool", "str_replace_editor"):
        old = args.get("old_string", args.get("oldText", args.get("old", args.get("old_str"))))
        new = args.get("new_string", args.get("newText", args.get("new", args.get("new_str"))))
        return [(path, str(old), str(new))] if isinstance(old, str) and isinstance(new, str) else []
    if name == "multiedit":
        return [(path, str(e.get("old_string")), str(e.get("new_string")))
                for e in args.get("edits") or [] if isinstance(e, dict)]
    content = args.get("content")
    if name in ("write", "write_file", "create_file") or name == "run" and isinstance(content, str):
        return [(path, None, content)] if isinstance(content, str) else []
    return []
