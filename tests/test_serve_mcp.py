"""End to end with the official MCP client SDK, over stdio and over streamable HTTP.

The loop an agent runs: list the tools, write a file, run it, read the
diagnostics, fix the file, run again, read the file the program wrote. Over
stdio the server is `python -m worlds serve`, spawned by the client; over HTTP
it is `worlds serve --http` on a free loopback port, reached both with the
2026-07-28 protocol (stateless: the model passes the session id it was given)
and with the 2025 handshake (the Mcp-Session-Id picks the session).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from conftest import ROOT, Server
from mcp import Client, StdioServerParameters

TOOLS = {"describe", "list_files", "read_file", "write_file", "edit_file", "run", "check"}
BROKEN = """\
fs.mkdirSync('out', { recursive: true });
const rows = fs.readFileSync('sales.csv', 'utf8').trim().split('\\n').slice(1);
const total = rows.reduce((sum, line) => sum + Number(line.split(',').at(-1)), 0);
fs.writeFileSync('out/report.txt', `orders: ${rows.length}, total: ${total}`;
console.log('report written');
"""


@pytest.fixture(scope="module")
def http_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`worlds serve sales shop --http` on loopback; yields its base URL."""
    server = Server(tmp_path_factory.mktemp("mcp-data"), "sales", "shop", workers=2)
    yield server.base
    assert "Traceback" not in server.stop()


def text(result: Any) -> str:
    return "\n".join(block.text for block in result.content)


async def agent_loop(client: Client, extra: dict[str, Any], *, stateless: bool) -> str:
    """The edit-run-fix loop; returns the session id the server used."""
    listed = await client.list_tools()
    assert {t.name for t in listed.tools} == TOOLS
    assert all("session" in t.input_schema["properties"] for t in listed.tools)

    wrote = await client.call_tool("write_file", {"path": "report.js", "content": BROKEN, **extra})
    assert not wrote.is_error, text(wrote)
    session = wrote.structured_content["session"]
    assert f"opened session {session}" in text(wrote)
    args = {**extra, "session": session} if stateless else dict(extra)

    failed = await client.call_tool("run", {"path": "report.js", **args})
    assert failed.is_error
    report = text(failed)
    assert "error[JS2002]" in report and "--> report.js:4:" in report and "insert `)`" in report
    assert failed.structured_content["session"] == session

    fixed = await client.call_tool("edit_file", {
        "path": "report.js", "old": "${total}`;", "new": "${total}`);", **args})
    assert not fixed.is_error, text(fixed)

    ran = await client.call_tool("run", {"path": "report.js", **args})
    assert not ran.is_error, text(ran)
    assert "report written" in text(ran) and "out/report.txt" in text(ran)
    assert len(ran.structured_content["receipt"]) == 64

    read = await client.call_tool("read_file", {"path": "out/report.txt", **args})
    assert "orders: " in text(read) and "total: " in text(read), text(read)
    assert read.structured_content["session"] == session
    return str(session)


@pytest.mark.parametrize("mode", ["auto", "legacy"])
def test_stdio(tmp_path: Path, mode: str) -> None:
    params = StdioServerParameters(command=sys.executable, cwd=ROOT,
                                   args=["-m", "worlds", "serve", "sales", "--data", str(tmp_path)])

    async def main() -> str:
        async with Client(params, mode=mode) as client:
            # One process is one client: every call works in the same session, unasked.
            return await agent_loop(client, {}, stateless=False)
    session = anyio.run(main)
    # The session was saved under the data directory before each answer.
    import sqlite3
    db = sqlite3.connect(tmp_path / "sessions.sqlite3")
    files = {p for (p,) in db.execute("SELECT path FROM files WHERE session = ?", (session,))}
    assert files == {"report.js", "out/report.txt"}
    assert db.execute("SELECT count(*) FROM history WHERE session = ?", (session,)).fetchone()[0] == 2


@pytest.mark.parametrize("mode", ["auto", "legacy"])
def test_streamable_http(http_server: str, mode: str) -> None:
    async def main() -> str:
        async with Client(f"{http_server}/mcp", mode=mode) as client:
            return await agent_loop(client, {"world": "sales"}, stateless=mode == "auto")
    session = anyio.run(main)
    # An MCP session is a session of the JSON API too.
    info = httpx.get(f"{http_server}/v1/sessions/{session}").json()
    assert info["world"] == "sales"
    assert [h["ok"] for h in info["history"]] == [False, True]
    assert httpx.get(f"{http_server}/v1/sessions/{session}/files/out/report.txt").json()["content"] \
        .startswith("orders: ")


def test_connections_do_not_share_sessions(http_server: str) -> None:
    async def one() -> str:
        async with Client(f"{http_server}/mcp", mode="legacy") as client:
            r = await client.call_tool("write_file", {"path": "mine.txt", "content": "x", "world": "shop"})
            return str(r.structured_content["session"])

    async def main() -> None:
        first, second = await one(), await one()
        assert first != second
        async with Client(f"{http_server}/mcp", mode="legacy") as client:
            r = await client.call_tool("list_files", {"world": "shop"})
            assert "mine.txt" not in text(r)
    anyio.run(main)


def test_tool_errors_are_answers(http_server: str) -> None:
    async def main() -> None:
        async with Client(f"{http_server}/mcp") as client:
            r = await client.call_tool("list_files", {})
            assert r.is_error and "several worlds" in text(r) and "sales" in text(r)
            r = await client.call_tool("list_files", {"session": "feedfacefeedface"})
            assert r.is_error and "no session" in text(r)
            r = await client.call_tool("list_files", {"world": "atlantis"})
            assert r.is_error and "no world 'atlantis'" in text(r)
            r = await client.call_tool("run", {"world": "sales", "paht": "x.js"})
            assert r.is_error and "paht" in text(r)
            listed = await client.list_tools()
            world = listed.tools[0].input_schema["properties"]["world"]
            assert world["enum"] == ["sales", "shop"]
    anyio.run(main)


def test_the_mcp_path_answers_without_a_redirect(http_server: str) -> None:
    """Clients are configured with `/mcp` exactly; some do not follow a redirect on POST."""
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                       "clientInfo": {"name": "probe", "version": "0"}}}
    answer = httpx.post(f"{http_server}/mcp", json=init, follow_redirects=False,
                        headers={"Accept": "application/json, text/event-stream"})
    assert answer.status_code == 200, answer.text
