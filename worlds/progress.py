"""A progress line on stderr for slow work at the command line (a terminal only).

Work that ends within :data:`QUIET_S` shows nothing; longer work shows what it
is doing and for how long, so a user knows a big world is loading, not stuck.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from tqdm import tqdm

#: Work shorter than this shows no progress line.
QUIET_S = 1.0


@contextmanager
def progress(label: str, stream: TextIO | None = None) -> Iterator[None]:
    """Show ``label`` with the elapsed time on ``stream`` (stderr) while the block runs
    longer than :data:`QUIET_S`; nothing when ``stream`` is not a terminal."""
    stream = stream or sys.stderr
    if not stream.isatty():
        yield
        return
    done = threading.Event()

    def show() -> None:
        if done.wait(QUIET_S):
            return
        with tqdm(total=None, desc=label, file=stream, bar_format="{desc}: {elapsed}", leave=False) as bar:
            while not done.wait(0.2):
                bar.refresh()

    thread = threading.Thread(target=show, name="worlds-progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
