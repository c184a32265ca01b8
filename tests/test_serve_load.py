"""A bounded load test of `worlds serve` on loopback, and a restart in the middle of one.

32 sessions, each doing 50 cycles of: write a JS program, run it (it appends a
line to `log.txt` in the workspace), write a SQL query, run it. Every session's
runs depend on all its earlier ones (a run's receipt covers the whole
workspace), so a lost or crossed file changes every later result. The same operations are done one by one with
the Python API, and every run must come back identical (receipts included).

The restart test kills the server (SIGKILL) while such a load runs, starts a
new one on the same data directory, and finds in every session exactly the
files and history of the operations acknowledged before the kill (or of one
more, when the kill fell between saving an operation and answering it).
"""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import conftest
import httpx
import pytest

from bench.perf.serve import Connection  # the lean client the throughput bench uses
from worlds import catalog

SESSIONS, CYCLES = 32, 50
WORLD = "sales"


def js(s: int, i: int) -> str:
    return (f"const prev = fs.existsSync('log.txt') ? fs.readFileSync('log.txt', 'utf8') : '';\n"
            f"fs.writeFileSync('log.txt', prev + '{s},{i},{(s * 31 + i * 7) % 101}\\n');\n"
            f"console.log('cycle {i}', prev.length)\n")


def sql(s: int, i: int) -> str:
    # Over the world's own table: a workspace data file would be a new schema at every cycle,
    # and a new schema costs a cold SQL guest (about 200 ms), which is not what this measures.
    # The receipt of a run by path covers every workspace file, log.txt included.
    return (f"SELECT region, count(*) AS orders, sum(units) AS units, {s} AS session "
            f"FROM sales WHERE units >= {i % 7} GROUP BY region ORDER BY region")


def operations(s: int) -> list[tuple[str, str, str]]:
    """Session ``s``'s operations in order: (verb, path, text)."""
    ops = []
    for i in range(CYCLES):
        ops += [("write", "main.js", js(s, i)), ("run", "main.js", ""),
                ("write", "q.sql", sql(s, i)), ("run", "q.sql", "")]
    return ops


@dataclass
class Replay:
    """The direct, one-by-one results: run JSON per operation, and the state after each."""

    runs: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    states: dict[int, list[tuple[dict[str, bytes], list[str]]]] = field(default_factory=dict)


@pytest.fixture(scope="module")
def replay() -> Iterator[Replay]:
    # SQL runs hand queries to a guest thread; a short switch interval makes the handoff quick
    # (the server's workers do the same). It changes timing only, never a result.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.0005)
    try:
        yield _replay()
    finally:
        sys.setswitchinterval(interval)


def _replay() -> Replay:
    world = catalog.load(WORLD)
    out = Replay()
    for s in range(SESSIONS):
        session = world.session()
        states = [({}, [])]
        for n, (verb, path, text) in enumerate(operations(s)):
            if verb == "write":
                session.write(path, text)
            else:
                out.runs[s, n] = session.run(path).to_json()
            states.append((dict(session.files), [h.receipt for h in session.history]))
        out.states[s] = states
    return out


class Server(conftest.Server):
    """The shared server (see conftest), which this test also kills mid-load."""

    def __init__(self, data: Path) -> None:
        super().__init__(data, WORLD)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.communicate(timeout=30)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    srv = Server(tmp_path)
    yield srv
    if srv.proc.poll() is None:
        assert "Traceback" not in srv.stop()


def timeless(run: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in run.items() if k != "text"}
    out["stats"] = {k: v for k, v in run["stats"].items() if k not in ("wall_ms", "memory_bytes", "phases")}
    return out


async def drive(base: str, ids: list[str], acked: list[int], runs: dict[tuple[int, int], Any],
                stop_after: int | None = None) -> list[str]:
    """Every session's operations, sessions concurrently; records what was acknowledged.
    With ``stop_after``, returns once that many operations were acknowledged in all."""
    problems: list[str] = []
    enough = asyncio.Event()

    async def one(s: int) -> None:
        host, port = base.removeprefix("http://").split(":")
        http = Connection(host, int(port))
        try:
            for n, (verb, path, text) in enumerate(operations(s)):
                try:
                    if verb == "write":
                        status, answer = await http.request(
                            "PUT", f"/v1/sessions/{ids[s]}/files/{path}", {"content": text})
                    else:
                        status, answer = await http.request("POST", f"/v1/sessions/{ids[s]}/run",
                                                            {"path": path})
                except (OSError, asyncio.IncompleteReadError) as err:
                    problems.append(f"session {s} op {n}: {err!r}")
                    return
                if status != 200:
                    problems.append(f"session {s} op {n}: {status} {str(answer)[:200]}")
                    return
                if verb == "run":
                    runs[s, n] = answer
                acked[s] = n + 1
                if stop_after is not None and sum(acked) >= stop_after:
                    enough.set()
        finally:
            http.close()

    tasks = [asyncio.ensure_future(one(s)) for s in range(SESSIONS)]
    if stop_after is None:
        await asyncio.gather(*tasks)
    else:
        await enough.wait()
    return problems


def open_sessions(base: str) -> list[str]:
    return [httpx.post(f"{base}/v1/sessions", json={"world": WORLD}).json()["id"] for _ in range(SESSIONS)]


def test_32_sessions_50_cycles_match_direct_runs(server: Server, replay: Replay) -> None:
    ids = open_sessions(server.base)
    acked = [0] * SESSIONS
    runs: dict[tuple[int, int], Any] = {}
    started = time.perf_counter()
    problems = asyncio.run(drive(server.base, ids, acked, runs))
    elapsed = time.perf_counter() - started
    assert problems == []
    assert acked == [4 * CYCLES] * SESSIONS
    requests = SESSIONS * CYCLES * 4
    print(f"\nload: {requests} requests ({requests // 2} runs) in {elapsed:.1f} s, "
          f"{requests / elapsed:.0f} requests/s")
    mismatched = [key for key, run in runs.items() if timeless(run) != replay.runs[key]]
    assert mismatched == [], f"{len(mismatched)} runs differ from direct runs, first {mismatched[0]}"
    for s in range(SESSIONS):  # no lost or crossed file, the whole history
        files, receipts = replay.states[s][-1]
        info = httpx.get(f"{server.base}/v1/sessions/{ids[s]}").json()
        assert [h["receipt"] for h in info["history"]] == receipts
        ours = {f["path"]: f["size"] for f in info["files"] if not f["input"]}
        assert ours == {p: len(d) for p, d in files.items()}
        got = httpx.get(f"{server.base}/v1/sessions/{ids[s]}/files/log.txt").json()["content"]
        assert got == files["log.txt"].decode()


def test_restart_mid_load_keeps_every_acknowledged_write(tmp_path: Path, replay: Replay) -> None:
    first = Server(tmp_path)
    ids = open_sessions(first.base)
    acked = [0] * SESSIONS
    runs: dict[tuple[int, int], Any] = {}

    async def load_then_kill() -> None:
        await drive(first.base, ids, acked, runs, stop_after=SESSIONS * CYCLES)  # about a quarter
        first.kill()  # mid-load: requests are in flight in every session

    asyncio.run(load_then_kill())
    done = list(acked)
    assert 0 < sum(done) < SESSIONS * CYCLES * 4
    second = Server(tmp_path)
    try:
        extra = 0
        for s in range(SESSIONS):
            info = httpx.get(f"{second.base}/v1/sessions/{ids[s]}")
            assert info.status_code == 200, info.text
            history = [h["receipt"] for h in info.json()["history"]]
            files = {}
            for f in info.json()["files"]:
                if not f["input"]:
                    r = httpx.get(f"{second.base}/v1/sessions/{ids[s]}/files/{f['path']}")
                    files[f["path"]] = r.json()["content"].encode()
            # Everything acknowledged is there; at most the one operation in flight is there too.
            candidates = replay.states[s][done[s]:done[s] + 2]
            assert (files, history) in candidates, f"session {s}: state differs after {done[s]} operations"
            extra += (files, history) != candidates[0]
        # The restarted server carries on: the next operation of a session works as before.
        s = 0
        n = len(httpx.get(f"{second.base}/v1/sessions/{ids[s]}").json()["history"])
        r = httpx.post(f"{second.base}/v1/sessions/{ids[s]}/run", json={"code": "1 + 1"})
        assert r.status_code == 200 and r.json()["value"] == 2
        assert len(httpx.get(f"{second.base}/v1/sessions/{ids[s]}/history").json()["history"]) == n + 1
        print(f"\nrestart: killed after {sum(done)} acknowledged operations; "
              f"{extra} sessions also kept their in-flight operation")
    finally:
        assert "Traceback" not in second.stop()
