"""Throughput of `worlds serve` against direct `world.run`, measured side by side in one run.

    direct   `World().run(code)` in this process, one run after another (one core)
    served   the same programs through `POST /v1/sessions/{id}/run` of a `worlds serve --http`
             child process, from 16 concurrent clients (one session each), on loopback

Both run the same trivial programs (`<i> + 2`, so no two runs are alike). The
figures: runs per second, p50/p95 latency, and the served throughput per core
over the direct one (`served runs/s / cores / direct runs/s`; the goal is at
least 0.6). The clients run in this process on a lean keep-alive HTTP/1.1
client, so they take little of the machine they measure.

Usage: `python bench/perf/serve.py [--quick] [--runs N] [--clients N] [--workers N] [--json FILE]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from worlds import World

ROOT = Path(__file__).resolve().parents[2]


class Connection:
    """A keep-alive HTTP/1.1 connection speaking JSON (about 50 us of CPU per request).

    httpx spends about 3 ms of CPU per request, which on two cores starves the server
    being measured; the load test uses this client too.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        if self.reader is None or self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        data = b"" if body is None else json.dumps(body).encode()
        self.writer.write(f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                          f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
                          .encode() + data)
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split()[1])
        length = next((int(h.split(":", 1)[1]) for h in head if h.lower().startswith("content-length:")), 0)
        payload = await self.reader.readexactly(length)
        return status, json.loads(payload) if payload else None

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def _stats(latencies: list[float], elapsed: float) -> dict[str, float]:
    ordered = sorted(latencies)
    return {"runs": len(ordered), "seconds": round(elapsed, 3),
            "runs_per_s": round(len(ordered) / elapsed, 1),
            "p50_ms": round(statistics.median(ordered) * 1000, 3),
            "p95_ms": round(ordered[max(int(len(ordered) * 0.95) - 1, 0)] * 1000, 3)}


def direct(runs: int) -> dict[str, float]:
    world = World()
    for i in range(200):
        world.run(f"{i} + 2")
    latencies = []
    started = time.perf_counter()
    for i in range(runs):
        t = time.perf_counter()
        result = world.run(f"{i} + 2")
        latencies.append(time.perf_counter() - t)
        assert result.value == i + 2
    return _stats(latencies, time.perf_counter() - started)


async def served(port: int, runs: int, clients: int) -> dict[str, float]:
    connections = [Connection("127.0.0.1", port) for _ in range(clients)]
    sessions = []
    for conn in connections:
        status, body = await conn.request("POST", "/v1/sessions", {"world": "empty"})
        assert status == 201, body
        sessions.append(body["id"])

    async def client(k: int, count: int, latencies: list[float]) -> None:
        conn, path = connections[k], f"/v1/sessions/{sessions[k]}/run"
        for j in range(count):
            i = k * count + j
            t = time.perf_counter()
            status, body = await conn.request("POST", path, {"code": f"{i} + 2"})
            latencies.append(time.perf_counter() - t)
            assert status == 200 and body["value"] == i + 2, body

    await asyncio.gather(*(client(k, 20, []) for k in range(clients)))  # warm-up
    latencies: list[float] = []
    started = time.perf_counter()
    await asyncio.gather(*(client(k, runs // clients, latencies) for k in range(clients)))
    elapsed = time.perf_counter() - started
    for conn in connections:
        conn.close()
    return _stats(latencies, elapsed)


def start_server(data: str, workers: int | None) -> tuple[subprocess.Popen[bytes], int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    world = Path(data) / "empty"
    world.mkdir()
    (world / "world.toml").write_text('name = "empty"\n')
    command = [sys.executable, "-m", "worlds", "serve", str(world), "--http", f"127.0.0.1:{port}",
               "--data", str(Path(data) / "sessions")]
    if workers:
        command += ["--workers", str(workers)]
    proc = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "WORLDS_TOKEN": ""})
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as answer:
                if answer.status == 200:
                    return proc, port
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the server did not start")
        time.sleep(0.1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer runs, for a smoke check")
    parser.add_argument("--runs", type=int, default=None, help="runs per system (default 8000)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=None, help="server workers (default: cores)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    runs = args.runs or (1600 if args.quick else 8000)
    cores = os.cpu_count() or 1

    with tempfile.TemporaryDirectory() as data:
        proc, port = start_server(data, args.workers)
        try:
            first = direct(runs // 2)
            over_http = asyncio.run(served(port, runs, args.clients))
            second = direct(runs // 2)  # before and after: load that comes and goes hits both
        finally:
            proc.terminate()
            proc.wait(30)
    latencies_ms = sorted([first["p50_ms"], second["p50_ms"]])
    alone = {"runs": first["runs"] + second["runs"], "seconds": first["seconds"] + second["seconds"],
             "p50_ms": latencies_ms[0], "p95_ms": max(first["p95_ms"], second["p95_ms"])}
    alone["runs_per_s"] = round(alone["runs"] / alone["seconds"], 1)
    ratio = over_http["runs_per_s"] / cores / alone["runs_per_s"]
    print(f"{'system':<34} {'runs/s':>9} {'p50 ms':>9} {'p95 ms':>9}")
    print(f"{'direct world.run (1 core)':<34} {alone['runs_per_s']:>9.0f} {alone['p50_ms']:>9.3f} "
          f"{alone['p95_ms']:>9.3f}")
    print(f"{f'served, {args.clients} clients, {cores} cores':<34} {over_http['runs_per_s']:>9.0f} "
          f"{over_http['p50_ms']:>9.3f} {over_http['p95_ms']:>9.3f}")
    print(f"\nserved throughput per core / direct: {ratio:.2f} (goal: at least 0.60)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": platform.platform(), "python": platform.python_version(), "cores": cores,
                       "clients": args.clients, "direct": alone, "served": over_http,
                       "per_core_ratio": round(ratio, 3)}, f, indent=2)


if __name__ == "__main__":
    main()
