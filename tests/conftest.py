"""Shared helpers for the worlds test suite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from worlds import Diagnostic, World

ROOT = Path(__file__).resolve().parent.parent


def assert_healthy() -> None:
    """The host process still runs programs normally."""
    assert World().run("1+1").value == 2


def codes(result) -> list[str]:
    """The diagnostic codes of a result, in order."""
    return [d.code for d in result.diagnostics]


def run_python(script: str, *, env: dict[str, str] | None = None,
               timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a fresh interpreter (same venv), capturing text output."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=full_env, cwd=ROOT, timeout=timeout)


@pytest.fixture
def healthy():
    """Check after the test that the process is unharmed."""
    yield
    assert_healthy()


def apply_fixes(source: str, diags: list[Diagnostic]) -> str:
    """``source`` with the edits of every applicable fix applied at once (overlaps skipped)."""
    edits = []
    for diag in diags:
        for fix in diag.fixes:
            if fix.applicable:
                edits += [(e.span.start.offset(source), e.span.end.offset(source), e.replacement)
                          for e in fix.edits]
    out, end = source, len(source) + 1
    for start, stop, text in sorted(set(edits), reverse=True):
        if stop <= end:
            out = out[:start] + text + out[stop:]
            end = start
    return out


def free_port() -> int:
    """A port on loopback that nothing listens on right now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`worlds serve WORLD... --http` in a child process, started and ready to answer."""

    def __init__(self, data: Path, *worlds: str, workers: int | None = None) -> None:
        import time

        import httpx

        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        extra = ["--workers", str(workers)] if workers else []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "worlds", "serve", *worlds, "--http", f"127.0.0.1:{port}",
             "--data", str(data), *extra],
            cwd=ROOT, stderr=subprocess.PIPE, env={**os.environ, "WORLDS_TOKEN": ""})
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{self.base}/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert self.proc.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)

    def stop(self) -> str:
        """Stop the server; returns its stderr."""
        self.proc.terminate()
        return self.proc.communicate(timeout=30)[1].decode(errors="replace")
