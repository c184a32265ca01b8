"""MCP for ``worlds serve``, on the official SDK: stdio (the default) and streamable HTTP.

The tools are the session tools (``describe``, ``list_files``, ``read_file``,
``write_file``, ``edit_file``, ``run``, ``check``) with the same specs as
``Session.tools("mcp")``, plus two optional arguments on every tool:

``session``
    a session id, to work in a given workspace (one opened earlier, over MCP
    or with ``POST /v1/sessions``).
``world``
    which world to work in, when the server serves several.

Without ``session``, a call goes to its connection's session in that world,
opened on first use and kept in the database like any other: over stdio the
connection is the process, over streamable HTTP it is the ``Mcp-Session-Id``.
The 2026-07-28 protocol has no connections (every request stands alone), so
there a call without ``session`` opens a new session; every answer that opens
a session starts with a line naming it, so a model can pass it on.
"""

from __future__ import annotations

import copy
import logging
import uuid
from collections.abc import Sequence
from typing import Any

import mcp.types as types
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp, StreamableHTTPSessionManager

from .. import __version__
from ..tools import world_summary
from .service import Live, ServeError, Service

log = logging.getLogger("worlds.serve")

SESSION_ARG = {"type": "string", "description":
               "optional: the session to work in (an id from an earlier answer); "
               "leave out to use this connection's session"}


class McpFront:
    """The MCP server over a :class:`Service`: ``server`` for stdio, ``asgi`` for HTTP."""

    def __init__(self, service: Service, *, http_hosts: Sequence[str] | None = None) -> None:
        self.service = service
        self.stdio_key = "stdio:" + uuid.uuid4().hex  # one process, one client
        worlds = ", ".join(f"{n} ({w.description})" if w.description else n
                           for n, w in service.worlds.items())
        self.server: Server[Any] = Server(
            "worlds", version=__version__,
            instructions=(f"Deterministic sandboxed worlds; this server serves: {worlds}. Write JS or SQL "
                          "files, run them, read the diagnostics, fix, run again. Call describe first. "
                          + ("Pass world to pick a world. " if len(service.worlds) > 1 else "")
                          + "Every tool takes an optional session id to pick a workspace."),
            on_list_tools=self._list_tools, on_call_tool=self._call_tool)
        self._specs = self._tool_specs()
        self.manager = StreamableHTTPSessionManager(
            app=self.server, session_idle_timeout=service.idle_s, security_settings=None)
        self.asgi = StreamableHTTPASGIApp(self.manager)

    async def serve_stdio(self) -> None:
        """Serve one client on this process's stdin and stdout until it hangs up."""
        from mcp.server.stdio import stdio_server
        await self.service.start()
        try:
            async with stdio_server() as (read, write):
                await self.server.run(read, write, self.server.create_initialization_options())
        finally:
            await self.service.close()

    # -- tools -------------------------------------------------------------------------

    def _tool_specs(self) -> list[types.Tool]:
        worlds = self.service.worlds
        first = next(iter(worlds.values()))
        names = list(worlds)
        summary = world_summary(first)
        if len(names) > 1:
            served = "; ".join(f"`{n}`" + (f": {w.description.strip().splitlines()[0]}" if w.description
                                            else "") for n, w in worlds.items())
            several = (f"Worlds served: {served}. Pass world to pick one (or a session); "
                       "call describe with it for files, tables and columns.")
        tools = []
        for spec in first.session().tools("mcp"):
            schema = copy.deepcopy(spec.get("inputSchema") or {"type": "object", "properties": {}})
            props = schema.setdefault("properties", {})
            props["session"] = SESSION_ARG
            description = spec.get("description") or ""
            if len(names) > 1:
                props["world"] = {"type": "string", "enum": names, "description":
                                  "the world to work in (needed when no session is given)"}
                description = description.replace(summary, several)
            tools.append(types.Tool(name=spec["name"], description=description, input_schema=schema,
                                    annotations=spec.get("annotations")))
        return tools

    async def _list_tools(self, ctx: ServerRequestContext[Any],
                          params: types.PaginatedRequestParams | None) -> types.ListToolsResult:
        return types.ListToolsResult(tools=self._specs)

    async def _call_tool(self, ctx: ServerRequestContext[Any],
                         params: types.CallToolRequestParams) -> types.CallToolResult:
        args = dict(params.arguments or {})
        sid, world = args.pop("session", None), args.pop("world", None)
        try:
            live, opened = self._resolve(ctx, sid, world)
            # Each connection is an actor of its own: it is shown what other connections, the HTTP
            # API and the host changed in the session since its last call.
            actor = self._connection_key(ctx) or "mcp:unnamed"
            answer = await self.service.call(live.id, params.name, args, actor=actor,
                                             by="another MCP connection")
        except ServeError as err:
            return _text(err.message, error=True)
        text = answer.text
        if opened:
            text = (f"(opened session {live.id} in world {live.world}; pass \"session\": \"{live.id}\" "
                    "to keep working in it)\n" + text)
        return types.CallToolResult(
            content=[types.TextContent(type="text", text=text)], is_error=not answer.ok,
            structured_content={"ok": answer.ok, "receipt": answer.receipt,
                                "changed": list(answer.changed), "session": live.id})

    def _resolve(self, ctx: ServerRequestContext[Any], sid: Any, world: Any) -> tuple[Live, bool]:
        """The session a call works in, and whether it was opened by this call."""
        service = self.service
        if sid is not None:
            if not isinstance(sid, str):
                raise ServeError(400, "session must be a session id (a string)")
            try:
                live = service.get(sid)
            except ServeError as err:
                raise ServeError(404, f"{err.message}; leave session out to open a new one") from None
            if world is not None and world != live.world:
                raise ServeError(400, f"session {sid} works in world {live.world!r}, not {world!r}")
            return live, False
        if world is not None and not isinstance(world, str):
            raise ServeError(400, "world must be a world's name (a string)")
        key = self._connection_key(ctx)
        name = service.world_name(world) if world is not None or len(service.worlds) == 1 else None
        if name is None:
            raise ServeError(400, "this server serves several worlds: pass world (one of "
                                  f"{', '.join(service.worlds)}) or a session")
        if key is not None:
            bound = service.bound(key, name)
            if bound is not None:
                return bound, False
        return service.open(name, bind=key), True

    def _connection_key(self, ctx: ServerRequestContext[Any]) -> str | None:
        request = ctx.request
        if request is None:
            return self.stdio_key
        mcp_session = request.headers.get("mcp-session-id")
        return None if mcp_session is None else "mcp:" + mcp_session


def _text(text: str, *, error: bool) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(type="text", text=text)], is_error=error)

