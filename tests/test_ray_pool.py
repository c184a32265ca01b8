"""worlds.ray: a Ray cluster joined or started, its nodes checked, and worlds run in a pool of actors.

One local cluster (4 logical CPUs, a 200 MB object store) serves the module; the tests that need
no cluster, or a cluster of their own, run first.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

from conftest import ROOT, run_python  # noqa: E402

import worlds.ray as wr  # noqa: E402
from worlds import World, WorldError  # noqa: E402

STORE = 200 * 2**20
SALES = "region,amount\nnorth,3\nsouth,5\neast,8\nwest,13\n"
#: A run of several seconds that ends the same way every time (its fuel runs out).
LONG = ("let s = 0; for (let i = 0; i < 1e12; i++) s += i; s", {"fuel": 20_000_000_000, "wall_ms": 120_000})


def dumps(data: object) -> str:
    return json.dumps(data, sort_keys=True)


# -- without a cluster --------------------------------------------------------------------------


def test_worlds_does_not_import_ray_and_the_extra_is_named_when_missing() -> None:
    done = run_python(
        "import sys\n"
        "import worlds\n"
        "assert 'ray' not in sys.modules and 'worlds.ray' not in sys.modules, 'worlds imported ray'\n"
        "sys.modules['ray'] = None  # as if the extra were not installed\n"
        "try:\n"
        "    import worlds.ray\n"
        "except ImportError as err:\n"
        "    print(err)\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "worlds.ray needs Ray: pip install 'worlds[ray]'"


def test_wasm_traps_stay_errors_in_a_process_that_joins_and_leaves_ray() -> None:
    """Ray's crash reporters would take a Wasm trap for a crash ("Illegal instruction") once
    ray.init ran after wasmtime's first engine; connect and shutdown keep wasmtime's handlers."""
    done = run_python(
        "import faulthandler\n"
        "faulthandler.enable()  # as pytest does, before the first engine\n"
        "import worlds, worlds.ray\n"
        "world = worlds.World()\n"
        "deep = 'function f(){return f()+1} f()'\n"
        "for stage in ('before', 'connected', 'left'):\n"
        "    if stage == 'connected':\n"
        "        worlds.ray.connect(num_cpus=1)\n"
        "    if stage == 'left':\n"
        "        worlds.ray.shutdown()\n"
        "    result = world.run(deep)\n"
        "    print(stage, result.ok, result.diagnostics[0].code)\n", timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.split("\n")
    assert [line.split()[:2] for line in lines if line] == [["before", "False"], ["connected", "False"],
                                                            ["left", "False"]], done.stdout
    assert len({line.split()[2] for line in lines if line}) == 1  # the same diagnostic each time


def test_an_address_nobody_answers_is_one_sentence_at_once() -> None:
    port = _closed_port()
    started = time.monotonic()
    with pytest.raises(wr.ClusterUnreachable, match=rf"no Ray cluster answers at 127.0.0.1:{port} "
                                                    r"\(Connection refused\): start one there"):
        wr.connect(f"127.0.0.1:{port}")
    assert time.monotonic() - started < 20  # not ray.init's minutes of retries (a hang guard, not speed)
    assert not ray.is_initialized()
    with pytest.raises(wr.ClusterUnreachable, match="bad Ray address 'nowhere'"):
        wr.connect("nowhere")


def test_an_address_that_is_not_ray_is_refused_within_the_timeout() -> None:
    # In a process of its own: Ray's join keeps trying on a thread we cannot stop.
    with socket.socket() as listener:
        listener.bind(("0.0.0.0", 0))
        listener.listen()
        port = listener.getsockname()[1]
        started = time.monotonic()
        done = run_python(
            "import worlds.ray as wr\n"
            "try:\n"
            f"    wr.connect('127.0.0.1:{port}', timeout=3)\n"
            "except wr.ClusterUnreachable as err:\n"
            "    print(err)\n", timeout=60)
    assert time.monotonic() - started < 30
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (f"127.0.0.1:{port} accepted a connection but did not answer as a Ray "
                                   "cluster within 3 s: is it the head node's GCS port (6379 unless "
                                   "`ray start` was given --port)?")


def test_a_node_with_another_engine_file_is_named_and_refused(tmp_path: Path) -> None:
    """A head node whose workers find a different JSONata file: joining works, the check refuses it.
    (The head has no token authentication: this process read Ray's settings when it imported ray.)"""
    other = tmp_path / "jsonata.js"
    other.write_bytes((ROOT / "runtime/jsonata/jsonata.js").read_bytes() + b"\n// changed\n")
    head = subprocess.Popen(
        [sys.executable, "-c",
         "import logging, sys, ray\n"
         "ray.init(num_cpus=1, include_dashboard=False, logging_level=logging.ERROR)\n"
         "print(ray.get_runtime_context().gcs_address, flush=True)\n"
         "sys.stdin.read()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "WORLDS_JSONATA_JS": str(other), "RAY_USAGE_STATS_ENABLED": "0",
             "RAY_AUTH_MODE": "disabled"})
    try:
        assert head.stdout is not None
        address = head.stdout.readline().strip()
        with pytest.raises(wr.NodeMismatch) as caught:
            wr.connect(address)
        message = str(caught.value)
        assert re.match(r"node \S+ \([0-9a-f]{12}\) runs a different worlds than this machine, so its "
                        r"receipts would differ: engine jsonata file: [0-9a-f]{12} here, [0-9a-f]{12} "
                        r"there\. Install the same worlds", message), message
        assert not ray.is_initialized()  # a refused join leaves no connection behind
        joined = wr.connect(address, check=False)  # the join itself works
        assert joined.address == address and not joined.started and joined.cpus == 1
    finally:
        wr.shutdown()
        assert head.stdin is not None
        head.stdin.close()
        head.wait(60)


# -- one local cluster for the rest ----------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster() -> object:
    info = wr.connect(num_cpus=4, object_store_memory=STORE)
    yield info
    wr.shutdown()


@pytest.fixture(scope="module")
def pool(cluster: wr.Cluster) -> object:
    with wr.Pool(size=2) as made:
        yield made


def test_connect_started_a_checked_local_cluster_and_is_idempotent(cluster: wr.Cluster) -> None:
    assert cluster.started and cluster.cpus == 4 and len(cluster.nodes) == 1
    assert cluster.object_store_bytes == STORE
    assert cluster.fingerprint == wr.fingerprint()
    assert set(cluster.fingerprint) >= {"worlds version", "worlds code", "wasmtime", "engine sqlite file"}
    again = wr.connect()  # reused: the same cluster, not a second one
    assert again.address == cluster.address


def test_the_readme_example_runs_and_its_receipts_are_local_ones(
        cluster: wr.Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text()
    example = re.search(r"<!-- ray-example -->\n```python\n(.*?)```", readme, re.S)
    assert example, "README.md lost its Ray example"
    code = example.group(1)
    assert code.count("\n") <= 12 and "10_000" in code
    monkeypatch.chdir(tmp_path)
    exec(compile(code.replace("10_000", "1_000"), "README.md", "exec"), {})
    receipts = json.loads((tmp_path / "receipts.json").read_text())
    assert len(receipts) == 1_000
    world = World(files={"sales.csv": SALES})
    for i in (0, 1, 6, 999):
        code = f"readCSV('sales.csv').filter((r) => r.amount > {i % 7}).length"
        assert receipts[i] == world.run(code).receipt


def test_runs_through_the_pool_are_the_bytes_of_local_runs(pool: wr.Pool) -> None:
    world = World(files={"sales.csv": SALES, "notes/a.txt": "hello"}, seed=7, now="2025-03-01T12:00:00Z")
    key = pool.add(world)
    assert pool.add(world) == key == wr.world_key(world)
    items = []
    for i in range(100):
        js = f"readCSV('sales.csv').map((r) => r.amount * {i}).concat([Math.random(), Date.now()])"
        items += [(key, js),
                  (key, f"SELECT region, amount * {i} AS x FROM sales ORDER BY x DESC LIMIT 2", "sql"),
                  {"world": world.name, "lang": "prql",
                   "code": f"from sales | filter amount > {i % 9} | aggregate {{n = count this}}"},
                  {"world": world, "code": f"$sum(sales.amount) * {i}", "lang": "jsonata",
                   "limits": {"fuel": 50_000_000}}]
    local = [dumps(world.run(i["code"], i.get("lang", "js"), limits=i.get("limits")).to_json())
             if isinstance(i, dict) else dumps(world.run(*i[1:]).to_json()) for i in items]
    assert [dumps(r) for r in pool.map(items)] == local
    assert [dumps(r) for r in pool.map(items, chunk=7)] == local
    unordered = dict(pool.map_unordered(items[:40], chunk=3))
    assert sorted(unordered) == list(range(40))
    assert [dumps(unordered[i]) for i in range(40)] == local[:40]
    assert dumps(pool.get(pool.run(key, "readCSV('sales.csv').length"))) == dumps(
        world.run("readCSV('sales.csv').length").to_json())
    failed = pool.get(pool.run(key, "let x = ;"))  # a program's failure is a result, as locally
    assert failed["ok"] is False and failed == world.run("let x = ;").to_json()


def test_map_reads_its_items_lazily(pool: wr.Pool) -> None:
    key = pool.add(World(files={"sales.csv": SALES}))
    taken = []

    def items():
        for i in range(10_000):
            taken.append(i)
            yield key, str(i)

    results = pool.map(items())
    assert [next(results)["value"] for _ in range(3)] == [0, 1, 2]
    assert len(taken) <= 3 + pool.size * pool.depth + 1  # back-pressure: not 10,000 submitted
    results.close()


def test_bad_input_is_one_sentence(pool: wr.Pool) -> None:
    key = pool.add(World(files={"sales.csv": SALES}, name="shop"))
    with pytest.raises(WorldError, match=r"^unknown language 'cobol'; this world runs js, jsonata, sql, "
                                         r"prql$"):
        pool.get(pool.run(key, "1", "cobol"))
    with pytest.raises(WorldError, match=r"^item 2: bad run limits: fuel:"):
        list(pool.map([(key, "1"), (key, "2"), {"world": key, "code": "3", "limits": {"fuel": -1}}]))
    with pytest.raises(wr.WorldsRayError, match=r"^no world 'nope' in this pool: pool.add it first \(it has"):
        pool.run("nope", "1")
    with pytest.raises(wr.WorldsRayError, match=r"^item 0: an item is \(world, code\), \(world, code, lang\) "
                                                r"or a dict, not str$"):
        list(pool.map(["1 + 1"]))
    with pytest.raises(wr.WorldsRayError, match=r"^item 0: give world and code .*unknown \['cod'\]"):
        list(pool.map([{"world": key, "cod": "1"}]))
    with pytest.raises(wr.WorldsRayError, match="chunk must be a whole number"):
        list(pool.map([(key, "1")], chunk=0))
    with pytest.raises(wr.WorldsRayError, match="pool.add takes a World or a function that returns one, "
                                                "not int"):
        pool.add(3)  # type: ignore[arg-type]
    with pytest.raises(wr.WorldsRayError, match="a pool needs at least one worker, not 0"):
        wr.Pool(size=0)


def test_a_world_too_large_for_the_object_store_is_refused_before_it_is_sent(pool: wr.Pool) -> None:
    big = World(files={"blob.bin": bytes(STORE + 2**20)}, name="big")
    with pytest.raises(wr.WorldTooLarge, match=r"^world 'big' is 201 MB of files, more than the 200 MB "
                                               r"object store of the cluster's smallest node: "
                                               r".*--object-store-memory"):
        pool.add(big)
    assert "big" not in pool._names  # nothing was shipped
    assert pool.get(pool.run(World(), "2 + 2"))["value"] == 4


def test_python_host_functions_travel_only_in_a_factory(pool: wr.Pool) -> None:
    def make() -> World:
        def total(region: str) -> int:
            return {"north": 3, "south": 5}.get(region, 0)
        return World(files={"sales.csv": SALES}, functions={"api.total": total}, name="api")

    with pytest.raises(wr.WorldsRayError, match=r"^world 'api' has Python host functions \(api.total\), "
                                                r"which do not travel .*pool.add\(make_world\)"):
        pool.add(make())
    key = pool.add(make)
    code = "api.total('north') + api.total('south')"
    remote = pool.get(pool.run(key, code))
    assert remote["value"] == 8 and remote["calls"]
    assert dumps(remote) == dumps(make().run(code).to_json())
    with pytest.raises(wr.WorldsRayError, match="this function returned int"):
        pool.add(lambda: 3)  # type: ignore[arg-type,return-value]


def test_a_session_in_the_pool_answers_like_a_local_one(pool: wr.Pool) -> None:
    world = World(files={"sales.csv": SALES})
    calls = [("write_file", {"path": "total.js", "content": "console.log(readCSV('sales.csv').length)"}),
             ("run", {"path": "total.js"}),
             ("read_file", {"path": "total.js"}),
             ("run", {"code": "SELECT count(*) AS n FROM sales", "lang": "sql"}),
             ("nonsense", {}),
             ("run", {"path": "missing.js"})]
    local = world.session()
    with pool.session(world) as remote:
        for tool, args in calls:
            assert remote.call(tool, args) == local.call_result(tool, args).model_dump(mode="json")
    with pytest.raises(wr.WorldsRayError, match="this session is closed"):
        remote.call("list_files")


def test_a_killed_worker_is_restarted_and_its_run_and_session_go_on(pool: wr.Pool) -> None:
    world = World(files={"sales.csv": SALES})
    key = pool.add(world)
    session = pool.session(world)
    session.call("write_file", {"path": "a.js", "content": "console.log(6 * 7)"})
    expected = world.run(LONG[0], limits=LONG[1]).to_json()
    ref = pool.run(key, LONG[0], limits=LONG[1])
    time.sleep(1.0)  # the run is going
    before = pool.pids()
    for pid in before:
        os.kill(pid, signal.SIGKILL)
    assert dumps(pool.get(ref, timeout=120)) == dumps(expected)  # retried on the restarted actor
    assert set(pool.pids()).isdisjoint(before)
    answer = session.call("run", {"path": "a.js"})  # replayed onto the restarted actor
    assert answer["ok"] and "42" in answer["text"]
    session.close()


def test_a_worker_that_dies_twice_is_worker_lost_and_the_pool_recovers(pool: wr.Pool) -> None:
    key = pool.add(World())
    ref = pool.run(key, LONG[0], limits=LONG[1])
    time.sleep(1.0)
    first = pool.pids()
    for pid in first:
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while set(pool.pids()) & set(first) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.0)  # the retry is running on the restarted actors
    for pid in pool.pids():
        os.kill(pid, signal.SIGKILL)
    with pytest.raises(wr.WorkerLost, match=r"^the worker running it died, was restarted, and died again "
                                            r"on the retry \(\w+\); nothing was returned for it$"):
        pool.get(ref, timeout=120)
    assert pool.get(pool.run(key, "1 + 1"), timeout=120)["value"] == 2


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
