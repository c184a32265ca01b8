"""Fetch JSONata for the ``jsonata`` language: the library's own build, from the npm registry.

JSONata runs inside the JS-light engine (QuickJS in Wasm), so it needs no
engine of its own: only its JavaScript. This takes ``jsonata.min.js`` from the
pinned npm tarball, checks the tarball against its sha256, and writes
``runtime/jsonata/jsonata.js``, which must match the sha256 pinned in
``runtime/engines.toml``. Rerunning gives the same bytes.

    python runtime/jsonata/build.py            # fetch (skipped when the pinned file is there)
    python runtime/jsonata/build.py --force    # fetch again and compare
"""

from __future__ import annotations

import argparse
import hashlib
import io
import sys
import tarfile
import tomllib
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "jsonata.js"
SOURCE = "https://registry.npmjs.org/jsonata/-/jsonata-2.2.2.tgz"
SOURCE_SHA256 = "4104555ad7118ce645a506be1ccef12e17812f7e4f38793be29b51ef759307fa"
MEMBER = "package/jsonata.min.js"


def pinned() -> str:
    return str(tomllib.loads((HERE.parent / "engines.toml").read_text())["jsonata"]["sha256"])


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fetch() -> bytes:
    with urllib.request.urlopen(SOURCE, timeout=120) as response:
        data = response.read()
    if sha256(data) != SOURCE_SHA256:
        sys.exit(f"build.py: {SOURCE} has sha256 {sha256(data)}, expected {SOURCE_SHA256}")
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        member = tar.extractfile(MEMBER)
        if member is None:
            sys.exit(f"build.py: {SOURCE} has no {MEMBER}")
        return member.read()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="fetch again even if the pinned file is there")
    args = parser.parse_args(argv)
    if OUT.is_file() and sha256(OUT.read_bytes()) == pinned() and not args.force:
        return 0
    data = fetch()
    if sha256(data) != pinned():
        sys.exit(f"build.py: {MEMBER} has sha256 {sha256(data)}, but runtime/engines.toml pins {pinned()}")
    OUT.write_bytes(data)
    print(f"wrote {OUT} ({len(data):,} bytes, sha256 {pinned()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
