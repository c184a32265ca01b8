"""Build the SQL engine: SQLite 3.42 and ``shim.c`` compiled for WASI.

Anyone can rerun this and get the same bytes: the SQLite amalgamation comes
from the npm registry (the ``better-sqlite3`` package ships it) and is checked
against its sha256, the compiler is Zig from PyPI at a pinned version, and
nothing of the build machine (paths, time) reaches the output. The result,
``runtime/sqlite/sqlite.wasm``, must match the sha256 pinned in
``runtime/engines.toml``; the build fails loudly if it does not.

    python runtime/sqlite/build.py            # build (skipped when the pinned file is there)
    python runtime/sqlite/build.py --force    # build again and compare
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "sqlite.wasm"
#: better-sqlite3 8.4.0 carries SQLite 3.42.0, the version the SQL world was built on.
SOURCE = "https://registry.npmjs.org/better-sqlite3/-/better-sqlite3-8.4.0.tgz"
SOURCE_SHA256 = "b5715bc010d93d519b0110d3b0c29c266d99a8c654469a74ab1964d168b12d33"
ZIG = "ziglang==0.14.1"

#: SQLite's options: the features queries use (math, JSON, full-text, R*Tree), a
#: single thread, no extensions, no WAL, temporary files in memory (see shim.c).
DEFINES = [
    "SQLITE_THREADSAFE=0", "SQLITE_OMIT_LOAD_EXTENSION", "SQLITE_DEFAULT_MEMSTATUS=0",
    "SQLITE_OMIT_WAL", "SQLITE_OMIT_SHARED_CACHE", "SQLITE_TEMP_STORE=1", "SQLITE_USE_ALLOCA",
    "SQLITE_ENABLE_MATH_FUNCTIONS", "SQLITE_ENABLE_FTS3", "SQLITE_ENABLE_FTS4", "SQLITE_ENABLE_FTS5",
    "SQLITE_ENABLE_RTREE", "SQLITE_ENABLE_GEOPOLY", "SQLITE_MAX_EXPR_DEPTH=1000",
]
#: The shadow stack sits first in memory, so overflowing it traps instead of
#: overwriting data; 4 MiB holds SQLite's deepest legal recursion.
LINK = ["-Wl,-z,stack-size=4194304", "-mexec-model=reactor", "-Wl,--export=malloc", "-Wl,--export=free"]


def pinned() -> str:
    table = tomllib.loads((HERE.parent / "engines.toml").read_text())
    return table["sqlite"]["sha256"]


def amalgamation(into: Path) -> None:
    """Unpack sqlite3.c and sqlite3.h from the pinned npm tarball into ``into``."""
    with urllib.request.urlopen(SOURCE, timeout=120) as response:
        data = response.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != SOURCE_SHA256:
        sys.exit(f"build.py: {SOURCE} has sha256 {digest}, expected {SOURCE_SHA256}")
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for name in ("sqlite3.c", "sqlite3.h"):
            member = tar.extractfile(f"package/deps/sqlite3/{name}")
            assert member is not None
            (into / name).write_bytes(member.read())


def compiler() -> list[str]:
    try:
        import ziglang  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", ZIG], check=True)
    return [sys.executable, "-m", "ziglang", "cc"]


def build() -> bytes:
    with tempfile.TemporaryDirectory(prefix="worlds-sqlite-") as tmp:
        work = Path(tmp)
        amalgamation(work)
        (work / "shim.c").write_bytes((HERE / "shim.c").read_bytes())
        env = dict(os.environ, ZIG_GLOBAL_CACHE_DIR=str(work / "zig"), ZIG_LOCAL_CACHE_DIR=str(work / "zig"))
        command = [*compiler(), "-target", "wasm32-wasi", "-O2", "-s", *(f"-D{d}" for d in DEFINES),
                   *LINK, "-I.", "shim.c", "sqlite3.c", "-o", "sqlite.wasm"]
        subprocess.run(command, cwd=work, env=env, check=True)
        return (work / "sqlite.wasm").read_bytes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--force", action="store_true", help="build even if the pinned file is there")
    options = parser.parse_args()
    want = pinned()
    if not options.force and OUT.is_file() and hashlib.sha256(OUT.read_bytes()).hexdigest() == want:
        return
    print("building the SQL engine (SQLite for WASI), about a minute ...", file=sys.stderr)
    data = build()
    got = hashlib.sha256(data).hexdigest()
    OUT.write_bytes(data)
    if got != want:
        sys.exit(f"build.py: built {OUT} with sha256 {got}, but runtime/engines.toml pins {want}")
    print(f"{OUT}: sha256 {got}", file=sys.stderr)


if __name__ == "__main__":
    main()
