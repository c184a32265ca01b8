"""Engine artifacts: pinned by sha256, compiled once, cached on disk, rebuilt when damaged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import wasmtime

from worlds.sandbox import snapshot
from worlds.sandbox.engines import artifacts, verified

RUN_ONE = (
    "import json, time; from worlds import World; t = time.perf_counter(); "
    "r = World().run('6 * 7'); print(json.dumps({'value': r.value, 'receipt': r.receipt, "
    "'ms': (time.perf_counter() - t) * 1000}))"
)


def _run(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", RUN_ONE], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)


def test_engine_is_pinned_and_verified() -> None:
    qjs = artifacts()["qjs"]
    assert qjs.version == "0.17.0"
    assert qjs.sha256 == "1a4e0bce82f2faed14f5e2620174e3daf33e161bad75ce955ceeaca1f7c82572"
    assert verified("qjs")[:4] == b"\0asm"


def test_first_run_fills_the_cache_and_later_processes_reuse_it(tmp_path: Path) -> None:
    env = {"WORLDS_CACHE_DIR": str(tmp_path)}
    first = _run(env)
    assert first.returncode == 0, first.stderr
    cached = sorted(p.name for p in tmp_path.glob("*.cwasm"))
    assert cached, "compiled modules were not cached"
    # A rewrite goes through a new file (os.replace), so the same inodes mean reuse.
    inodes = {p: p.stat().st_ino for p in tmp_path.glob("*.cwasm")}
    second = _run(env)
    assert second.returncode == 0, second.stderr
    assert json.loads(first.stdout)["receipt"] == json.loads(second.stdout)["receipt"]
    assert {p: p.stat().st_ino for p in tmp_path.glob("*.cwasm")} == inodes


def test_a_damaged_cache_entry_is_rebuilt(tmp_path: Path) -> None:
    env = {"WORLDS_CACHE_DIR": str(tmp_path)}
    assert _run(env).returncode == 0
    for entry in tmp_path.glob("*.cwasm"):
        entry.write_bytes(b"not a compiled module")
    again = _run(env)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["value"] == 42


def test_a_swapped_artifact_is_refused_even_with_a_warm_cache(tmp_path: Path) -> None:
    fake = tmp_path / "qjs.wasm"
    fake.write_bytes(verified("qjs")[:-1] + b"\0")
    result = _run({"WORLDS_QJS_WASM": str(fake)})
    assert result.returncode != 0
    assert "sha256" in result.stderr and "WORLDS_QJS_WASM" in result.stderr


def test_snapshot_rewriting_keeps_the_module_valid() -> None:
    wasm = verified("qjs")
    parts = snapshot.sections(wasm)
    assert snapshot.assemble(parts) == wasm  # parse and re-encode are exact inverses
    instrumented = snapshot.instrument(wasm, ["JS_Eval"])
    engine = wasmtime.Engine()
    names = {e.name for e in wasmtime.Module(engine, instrumented).exports}
    assert {"w:JS_Eval", "w:global:0", "memory", "qjs_init_argv"} <= names


def test_leb128_round_trips() -> None:
    for value in (0, 1, 63, 64, 127, 128, 255, 2**20, 2**31 - 1, 2**32 + 5):
        assert snapshot._read_uleb(snapshot._uleb(value), 0)[0] == value
    for value in (0, 1, -1, 63, -64, 64, -65, 2**31 - 1, -(2**31)):
        encoded = snapshot._sleb(value)
        decoded, shift = 0, 0
        for byte in encoded:
            decoded |= (byte & 0x7F) << shift
            shift += 7
        if encoded[-1] & 0x40:
            decoded -= 1 << shift
        assert decoded == value


def test_memory_segments_cover_every_nonzero_byte() -> None:
    memory = bytearray(5 * 4096)
    memory[10] = 1
    memory[4096 * 3 + 7] = 2
    memory[-1] = 3
    segments = snapshot._segments(bytes(memory))
    rebuilt = bytearray(len(memory))
    for offset, chunk in segments:
        rebuilt[offset : offset + len(chunk)] = chunk
    assert rebuilt == memory
    assert len(segments) == 2  # zero blocks between are left out
