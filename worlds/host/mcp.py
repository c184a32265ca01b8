"""Code mode: another MCP server's tools as host functions (``crm.findCustomer(...)``).

:func:`connect` starts the server (a command, spoken to over stdio with the
official MCP SDK), lists its tools and returns one :class:`HostFunction`
per tool, named ``NAME.tool``, declared from its ``inputSchema`` and
validated against it. A call becomes ``tools/call``; its result becomes a
JS value: the structured content when the tool gives one, else its text
(parsed as JSON when it is JSON). A tool that reports an error
(``isError``) throws at the call with the tool's own text.

The connection lives on an event loop in a thread of its own, for as long
as the process does; programs call it from their run's worker thread.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import os
import re
import shlex
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import WorldError
from .functions import HostFunction

#: How long a server may take to start and list its tools.
START_S = 30.0
_NOT_NAME = re.compile(r"[^\w$]")


class ToolError(Exception):
    """A tool answered with ``isError``: its text is the message the program sees."""


class Connection:
    """One MCP server, started and spoken to over stdio."""

    def __init__(self, name: str, command: str | list[str], *, cwd: str | Path | None = None,
                 env: Mapping[str, str] | None = None) -> None:
        from mcp import StdioServerParameters

        argv = shlex.split(command) if isinstance(command, str) else list(command)
        if not argv:
            raise WorldError(f"connect {name!r}: give the command that starts the MCP server")
        self.name, self.argv = name, argv
        self._params = StdioServerParameters(command=argv[0], args=argv[1:], cwd=cwd,
                                             env=dict(env) if env is not None else None)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=f"worlds mcp {name}", daemon=True)
        self._thread.start()
        self._closed: asyncio.Event | None = None
        self._session: Any = None
        try:
            self.tools = asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(START_S)
        except Exception as err:  # the server did not start, or did not speak MCP
            self.close()
            raise WorldError(f"connect {name!r}: could not start the MCP server `{shlex.join(argv)}`: "
                             f"{_reason(err)}") from None
        atexit.register(self.close)

    def call(self, tool: str, arguments: dict[str, Any]) -> Any:
        """Call ``tool``; its result as a JSON value (see the module's docstring)."""
        future = asyncio.run_coroutine_threadsafe(self._session.call_tool(tool, arguments), self._loop)
        return _value(future.result())

    def close(self) -> None:
        if self._loop.is_closed():
            return
        if self._closed is not None:
            self._loop.call_soon_threadsafe(self._closed.set)
            asyncio.run_coroutine_threadsafe(asyncio.sleep(0.2), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        if not self._thread.is_alive():
            self._loop.close()

    async def _start(self) -> list[Any]:
        ready: asyncio.Future[list[Any]] = self._loop.create_future()
        self._closed = asyncio.Event()
        # The SDK's contexts are entered and left by one task, which lives as long as the connection.
        self._task = self._loop.create_task(self._hold(ready))
        return await ready

    async def _hold(self, ready: asyncio.Future[list[Any]]) -> None:
        from mcp import ClientSession
        from mcp.client.stdio import stdio_client

        try:
            # The server's own log (tracebacks of its failing tools) is not the program's to see.
            with open(os.devnull, "w") as quiet:
                async with stdio_client(self._params, errlog=quiet) as (read, write), \
                        ClientSession(read, write) as session:
                    await self._serve(session, ready)
        except BaseException as err:
            if not ready.done():
                ready.set_exception(err if isinstance(err, Exception) else RuntimeError(str(err)))
            elif not isinstance(err, asyncio.CancelledError | GeneratorExit):
                raise

    async def _serve(self, session: Any, ready: asyncio.Future[list[Any]]) -> None:
        from mcp.types import PaginatedRequestParams

        await session.initialize()
        tools, cursor = [], None
        while True:
            page = await session.list_tools(params=PaginatedRequestParams(cursor=cursor) if cursor else None)
            tools.extend(page.tools)
            cursor = page.next_cursor
            if not cursor:
                break
        self._session = session
        ready.set_result(tools)
        assert self._closed is not None
        await self._closed.wait()


def connect(name: str, command: str | list[str], *, cwd: str | Path | None = None,
            env: Mapping[str, str] | None = None) -> dict[str, HostFunction]:
    """Start the MCP server ``command`` and return its tools as host functions ``name.tool``."""
    connection = Connection(name, command, cwd=cwd, env=env)
    functions: dict[str, HostFunction] = {}
    for tool in connection.tools:
        js_name = f"{name}.{_js_name(tool.name)}"

        def call(*, _tool: str = tool.name, **arguments: Any) -> Any:
            return connection.call(_tool, arguments)

        output = dict(tool.output_schema or {})
        functions[js_name] = HostFunction.from_schema(
            js_name, call, dict(tool.input_schema or {}), result_schema=_unwrapped(output) or output,
            doc=tool.description or tool.title or "")
    return functions


def _js_name(tool: str) -> str:
    """A tool's name as a JS name: `get-weather` becomes `get_weather`."""
    clean = _NOT_NAME.sub("_", tool)
    return clean if not clean[:1].isdigit() else "_" + clean


def _unwrapped(schema: Mapping[str, Any]) -> dict[str, Any] | None:
    """The schema of a value the server wrapped as ``{"result": ...}`` (MCP's structured content is
    always an object), or None."""
    props = schema.get("properties")
    if isinstance(props, dict) and set(props) == {"result"} and schema.get("x-fastmcp-wrap-result", True):
        inner = props["result"]
        return dict(inner) if isinstance(inner, dict) else None
    return None


def _value(result: Any) -> Any:
    texts: list[str] = [text for item in result.content or []
                        if isinstance(text := getattr(item, "text", None), str)]
    if result.is_error:
        raise ToolError("\n".join(texts) or "the tool failed")
    structured = result.structured_content
    if isinstance(structured, dict):
        return structured["result"] if set(structured) == {"result"} else structured
    if len(texts) == 1:
        try:
            return json.loads(texts[0])
        except ValueError:
            return texts[0]
    return texts


def _reason(err: BaseException) -> str:
    """The first line that says why, from an exception or a group of them."""
    while isinstance(err, BaseExceptionGroup) and err.exceptions:
        err = err.exceptions[0]
    return f"{type(err).__name__}: {err}".splitlines()[0]
