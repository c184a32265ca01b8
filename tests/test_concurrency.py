"""Runs from many threads at once: more than the engine has instance slots."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from worlds import World
from worlds.sandbox.engines import MAX_INSTANCES


def test_more_threads_than_instance_slots_all_finish() -> None:
    world = World({"n.txt": "5"})
    code = ("let s = 0; for (let i = 0; i < 20000; i++) s += i;\n"
            "s + Number(fs.readFileSync('n.txt', 'utf8')) + {i}")
    threads = MAX_INSTANCES + 36
    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(lambda i: world.run(code.replace("{i}", str(i))), range(threads * 2)))
    assert [r.diagnostics for r in results if not r.ok] == []
    assert [r.value for r in results] == [199990000 + 5 + i for i in range(threads * 2)]
    # The same program gives the same receipt whichever thread ran it.
    again = world.run(code.replace("{i}", "7"))
    assert again.receipt == results[7].receipt
