"""``worlds serve``: MCP (stdio or streamable HTTP) and an HTTP JSON API over sessions.

Layers, each its own module::

    app.py      the FastAPI app: /v1 routes, errors as {"error": ...}, auth, MCP mounted at /mcp
    mcp.py      the MCP server (official SDK): tools per session, stdio and HTTP
    service.py  sessions: in memory, locked per session, saved before every answer, expired when idle
    store.py    the SQLite database under the data directory
    runner.py   the worker processes that run programs (one per core)
    jobs.py     what a worker does with a job (the same code as an in-process Session)

:func:`serve` is what the command runs; :func:`~.app.create_app` builds the
ASGI app for embedding or tests.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

from ..world import World
from .app import LOOPBACK_HOSTS, create_app
from .service import DEFAULT_IDLE_S, ServeError, Service
from .store import Store, StoreError

__all__ = ["DEFAULT_IDLE_S", "ServeError", "Service", "Store", "StoreError", "create_app",
           "default_data_dir", "parse_address", "serve"]

DEFAULT_PORT = 8765


def default_data_dir() -> Path:
    """``$WORLDS_DATA_DIR``, else ``$XDG_DATA_HOME/worlds``, else ``~/.local/share/worlds``."""
    if os.environ.get("WORLDS_DATA_DIR"):
        return Path(os.environ["WORLDS_DATA_DIR"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or "~/.local/share"
    return Path(base).expanduser() / "worlds"


def parse_address(text: str) -> tuple[str, int]:
    """``HOST:PORT``, ``:PORT``, ``PORT`` or ``HOST`` (IPv6 in brackets) -> (host, port)."""
    host, port = "127.0.0.1", str(DEFAULT_PORT)
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            raise ValueError(f"bad address {text!r}: an IPv6 host goes in brackets, as [::1]:8765")
        host, rest = text[1:end], text[end + 1:]
        if rest:
            if not rest.startswith(":"):
                raise ValueError(f"bad address {text!r}: give HOST:PORT")
            port = rest[1:]
    elif text.isdigit():
        port = text
    elif ":" in text:
        host, port = text.rsplit(":", 1)
        host = host or "127.0.0.1"
    elif text:
        host = text
    if not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"bad port in {text!r}: give a number from 0 to 65535")
    return host, int(port)


def serve(worlds: Sequence[World], *, data_dir: str | Path, http: str | None = None,
          token: str | None = None, idle_s: float = DEFAULT_IDLE_S, workers: int | None = None) -> None:
    """Serve ``worlds`` until interrupted: MCP on stdio, or (with ``http``) the HTTP app."""
    if http is None:
        _serve_stdio(worlds, data_dir=data_dir, idle_s=idle_s, workers=workers)
        return
    import uvicorn

    host, port = parse_address(http)
    loopback = host in ("127.0.0.1", "localhost", "::1") or host.startswith("127.")
    hosts = [*LOOPBACK_HOSTS, host] if loopback else None
    app = create_app(worlds, data_dir, token=token, idle_s=idle_s, workers=workers, allowed_hosts=hosts)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP said outright: asyncio turns Nagle off (TCP_NODELAY) only on sockets that name
    # it, and with Nagle on, every answer waits out the client's 40 ms delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as err:
        sock.close()
        raise ServeError(2, f"cannot listen on {http}: {err.strerror or err}") from None
    sock.listen(2048)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    names = ", ".join(w.name for w in worlds)
    print(f"worlds: serving {names} at http://{shown}:{bound} (API /v1, MCP /mcp, docs /docs); "
          f"data in {data_dir}", file=sys.stderr, flush=True)
    if not loopback and not token:
        print("worlds: warning: listening beyond this machine without --token: anyone who can reach "
              "it can use it", file=sys.stderr, flush=True)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on",
                            timeout_graceful_shutdown=5)
    uvicorn.Server(config).run(sockets=[sock])


def _serve_stdio(worlds: Sequence[World], *, data_dir: str | Path, idle_s: float,
                 workers: int | None) -> None:
    import anyio

    from .app import named
    from .mcp import McpFront
    from .runner import Pool

    served = named(worlds)
    service = Service(served, Store(data_dir), Pool(served, workers), idle_s=idle_s)
    anyio.run(McpFront(service).serve_stdio)
