"""Many runs in one process do not leak host memory."""

from __future__ import annotations

import gc

import psutil

from worlds import World

WARMUP = 100
RUNS = 1_000
MAX_GROWTH_MB = 30


def test_thousand_trivial_runs_do_not_grow_rss():
    """RSS grows by less than 30 MB over 1,000 runs after a 100-run warm-up."""
    proc = psutil.Process()
    for _ in range(WARMUP):
        assert World().run("1+2").value == 3
    gc.collect()
    before = proc.memory_info().rss
    for i in range(RUNS):
        r = World().run("1+2")
        assert r.value == 3, f"run {i}: {r}"
    gc.collect()
    after = proc.memory_info().rss
    growth_mb = (after - before) / 2**20
    print(f"\nRSS after warm-up {before / 2**20:.1f} MB, after {RUNS} runs {after / 2**20:.1f} MB, "
          f"growth {growth_mb:.2f} MB")
    assert growth_mb < MAX_GROWTH_MB
