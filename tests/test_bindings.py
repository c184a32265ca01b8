"""The MCP client configurations in bindings/mcp parse and start `worlds serve`."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

MCP = ROOT / "bindings" / "mcp"
ENDPOINT = "http://127.0.0.1:8765/mcp"

# Every file the README promises, by variant; a new client adds a row here.
EXPECTED = {
    "": ["claude_desktop_config.json", "claude-code.mcp.json", "cursor.mcp.json",
         "vscode.mcp.json", "codex.config.toml"],
    "world-dir": ["claude_desktop_config.json", "claude-code.mcp.json", "cursor.mcp.json",
                  "vscode.mcp.json", "codex.config.toml"],
    "http": ["claude-code.mcp.json", "cursor.mcp.json", "vscode.mcp.json", "codex.config.toml"],
}
CONFIGS = sorted(p for p in MCP.rglob("*") if p.suffix in (".json", ".toml"))


def servers(path: Path) -> dict[str, dict[str, Any]]:
    """The server entries of one config file, under whichever key its client reads."""
    if path.suffix == ".toml":
        data = tomllib.loads(path.read_text())
        key = "mcp_servers"  # Codex CLI
    else:
        data = json.loads(path.read_text())
        key = "servers" if path.name.startswith("vscode") else "mcpServers"
    assert set(data) <= {key, "inputs"}, f"{path.name}: unexpected top-level keys {sorted(data)}"
    entries = data[key]
    assert isinstance(entries, dict) and entries, f"{path.name}: no servers under {key!r}"
    return entries


def test_every_expected_file_exists_and_no_stray_ones():
    """The files on disk are exactly the ones listed (and documented)."""
    expected = {MCP / sub / name for sub, names in EXPECTED.items() for name in names}
    assert set(CONFIGS) == expected


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: str(p.relative_to(MCP)))
def test_config_points_at_worlds_serve(path: Path):
    """A stdio entry runs `worlds serve [DIR]`; an HTTP entry names the /mcp endpoint."""
    entry = servers(path)["worlds"]
    if path.parent.name == "http":
        assert entry["url"] == ENDPOINT
        assert "command" not in entry
        if entry.get("type") is not None:
            assert entry["type"] == "http"
        headers = entry.get("headers", {})
        assert not headers or headers["Authorization"].startswith("Bearer ${")
        if path.suffix == ".toml":
            assert entry["bearer_token_env_var"] == "WORLDS_TOKEN"
    else:
        assert entry["command"] == "worlds"
        assert entry["args"][0] == "serve"
        assert entry.get("type", "stdio") == "stdio"
        extra = entry["args"][1:]
        if path.parent.name == "world-dir":
            assert len(extra) == 1 and extra[0].endswith("my-world")
        else:
            assert extra == []  # the bundled catalog


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: str(p.relative_to(MCP)))
def test_readme_names_every_file(path: Path):
    """The README says where each file goes."""
    readme = (MCP / "README.md").read_text()
    assert f"`{path.relative_to(MCP).as_posix()}`" in readme


def test_vscode_inputs_are_used():
    """Every `${input:ID}` in the VS Code HTTP config has a matching input definition."""
    data = json.loads((MCP / "http" / "vscode.mcp.json").read_text())
    ids = {item["id"] for item in data["inputs"]}
    assert "${input:worlds-token}" in json.dumps(data["servers"])
    assert ids == {"worlds-token"}
