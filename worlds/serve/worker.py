"""A worker process of ``worlds serve``: ``python -m worlds.serve.worker FD``.

FD is this end of a socket pair whose other end the server holds; see
:mod:`worlds.serve.runner`.
"""

from __future__ import annotations

import sys
from multiprocessing.connection import Connection

from .runner import serve_jobs


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not argv[0].isdigit():
        print("usage: python -m worlds.serve.worker FD (the server starts this itself)", file=sys.stderr)
        return 2
    serve_jobs(Connection(int(argv[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
