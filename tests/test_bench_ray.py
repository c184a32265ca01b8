"""The bench on Ray (``pytest bench/ --executor ray``): the same bytes as the local executor, a worker
killed mid-episode, an address where nothing answers, ``--resume``, and one API limiter for all workers.

One local cluster serves the module (a start costs seconds); the ``pytest bench/`` runs join it
with ``--ray-address``.
"""

from __future__ import annotations

import json
import logging
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

ray = pytest.importorskip("ray")

from bench.harness.executor_ray import HOLD, Limits, RayExecutor  # noqa: E402
from bench.harness.fake_api import FakeAPI  # noqa: E402
from bench.harness.plan import Case, plan  # noqa: E402
from bench.harness.play import keep, play  # noqa: E402
from bench.harness.report import render  # noqa: E402
from bench.harness.tasks import EXTENSION, all_tasks  # noqa: E402
from worlds.ray import shutdown  # noqa: E402
from worlds.ray.signals import trap_handlers_kept  # noqa: E402

TASKS = "sales_revenue_by_region,org_levels,logs_status_classes"


def options(**given: Any) -> Any:
    defaults = {"--agent": "reference,fixit", "--arm": "", "--diagnostics": "", "--tools": "all",
                "--turns": 12, "--mode": "loop", "--repeat": 1, "--seed": 0, "--task": TASKS,
                "--base-url": None, "--price": None, "--judge": None}
    return {**defaults, **given}.__getitem__


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Any:
    hold = tmp_path_factory.mktemp("hold")
    (hold / "hold").write_text("")
    os.environ[HOLD] = str(hold)
    with trap_handlers_kept():  # as worlds.ray.connect does: Wasm traps in this process stay errors
        ray.init(num_cpus=3, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR,
                 runtime_env={"env_vars": {"PYTHONPATH": str(ROOT), HOLD: str(hold)}})
    yield {"address": ray.get_runtime_context().gcs_address, "hold": hold}
    shutdown()
    del os.environ[HOLD]


def played_here(cases: list[Case], out: Path) -> None:
    for case in cases:
        keep(out, case, play(case, out))


def on_disk(out: Path) -> tuple[dict[str, bytes], dict[str, dict[str, Any]]]:
    traces = {p.name: p.read_bytes() for p in (out / "traces").iterdir()}
    rows = {p.name: {k: v for k, v in json.loads(p.read_text()).items() if k != "wall_ms"}
            for p in (out / "rows").iterdir()}
    return traces, rows


def through_ray(cases: list[Case], out: Path, **options: Any) -> RayExecutor:
    executor = RayExecutor(out, **options)
    executor.start()
    executor.submit(cases)
    return executor


def test_ray_gives_the_local_executors_bytes_whatever_the_workers_and_order(cluster, tmp_path):
    cases = plan(options())
    assert len(cases) > 20 and {c.agent for c in cases} == {"reference", "fixit"}
    played_here(cases, tmp_path / "local")
    expected = on_disk(tmp_path / "local")
    for workers, seed in ((1, 1), (2, 2), (3, 3)):
        shuffled = list(cases)
        random.Random(seed).shuffle(shuffled)
        out = tmp_path / f"ray{workers}"
        executor = through_ray(shuffled, out, workers=workers)
        try:
            rows = [executor.result(c.id) for c in shuffled]
        finally:
            executor.close()
        assert all(r["stop"] != "error" for r in rows)
        assert on_disk(out) == expected, f"{workers} workers"


def _wait_for(path: Path, seconds: float = 120) -> int:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.02)
    time.sleep(0.05)  # the pid is written before the file is closed
    return int(path.read_text())


def test_a_worker_killed_mid_episode_is_retried_once_then_reported(cluster, tmp_path):
    cases = plan(options(**{"--agent": "reference"}))
    once, twice = cases[0], cases[1]
    hold: Path = cluster["hold"]
    (hold / "hold").write_text(f"{once.id}\n{twice.id}\n")
    executor = through_ray(cases, tmp_path / "out", workers=2)
    try:
        os.kill(_wait_for(hold / f"{once.id}.1.pid"), signal.SIGKILL)
        (hold / f"{once.id}.2.go").write_text("")  # the second attempt plays to the end
        os.kill(_wait_for(hold / f"{twice.id}.1.pid"), signal.SIGKILL)
        os.kill(_wait_for(hold / f"{twice.id}.2.pid"), signal.SIGKILL)
        rows = {c.id: executor.result(c.id) for c in cases}
    finally:
        executor.close()
        (hold / "hold").write_text("")
    assert rows[once.id]["worker_deaths"] == 1 and rows[once.id]["completion"] == 1.0
    failed = rows[twice.id]
    assert failed["stop"] == "error" and failed["worker_deaths"] == 2
    assert "died twice" in failed["error"] and failed["task"] == twice.task.name
    others = [rows[c.id] for c in cases[2:]]
    assert all(r["completion"] == 1.0 and "worker_deaths" not in r for r in others)
    # Nothing is dropped: every case has its row on disk, the retried one with its full trace.
    names = sorted(p.name for p in (tmp_path / "out" / "rows").iterdir())
    assert names == sorted(f"{c.id}.json" for c in cases)
    played_here([once], tmp_path / "local")
    assert (tmp_path / "out" / rows[once.id]["trace"]).read_bytes() == \
        (tmp_path / "local" / rows[once.id]["trace"]).read_bytes()
    report = render([json.loads(p.read_text()) for p in sorted((tmp_path / "out" / "rows").iterdir())],
                    tmp_path / "out")
    deaths = report[report.index("## Worker deaths"):]
    assert once.task.name in deaths and "played again" in deaths and "failed: the Ray worker" in deaths
    # --resume plays only what did not finish: the failed episode, now on a healthy worker.
    before = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "out" / "rows").iterdir()}
    executor = through_ray(cases, tmp_path / "out", workers=2, resume=True)
    try:
        again = executor.result(twice.id)
    finally:
        executor.close()
    assert again["completion"] == 1.0 and "worker_deaths" not in again
    after = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "out" / "rows").iterdir()}
    assert {n for n in after if after[n] != before[n]} == {f"{twice.id}.json"}


def analyst(request: dict[str, Any]) -> dict[str, Any]:
    """A scripted model that takes its time: writes and runs the task's reference, then stops."""
    messages = request["messages"]
    if any(m.get("role") == "tool" for m in messages):
        return {"content": "done", "tool_calls": [], "delay": 0.2}
    goal = next(m["content"] for m in messages if m["role"] == "user")
    task, lang = next((t, lang) for t in all_tasks() for lang in t.arms if t.brief(lang) == goal)
    path = f"answer{EXTENSION[lang]}"
    return {"content": "", "delay": 0.2, "tool_calls": [
        {"name": "write_file", "arguments": {"path": path, "content": task.solution(lang)}},
        {"name": "run", "arguments": {"path": path}}]}


@pytest.mark.parametrize("cap", [1, 2])
def test_api_agents_share_one_limiter_across_workers(cluster, tmp_path, cap):
    with FakeAPI(analyst) as api:
        cases = plan(options(**{"--agent": "openai:scripted", "--base-url": api.base_url, "--arm": "sql",
                                "--repeat": 2}))
        executor = through_ray(cases, tmp_path, workers=3, concurrency=cap)
        try:
            rows = [executor.result(c.id) for c in cases]
            peaks = executor.peaks()
        finally:
            executor.close()
    assert len(rows) == 6 and all(r["completion"] == 1.0 for r in rows)
    # Three workers, six episodes, 0.2 s per answer: the server saw exactly the cap at once, never more.
    assert api.peak == cap and peaks == {"openai:scripted": cap}


def test_the_requests_per_minute_cap_spaces_requests():
    limits = Limits(None, 120.0)
    assert limits.acquire("k") == 0.0
    wait = limits.acquire("k")
    assert 0.4 < wait <= 0.5
    limits.release("k")
    assert Limits(1, None).acquire("k") == 0.0


def _bench(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "bench/", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, "BENCH_PROGRESS": "0"})


def test_pytest_bench_on_a_running_cluster_then_resume(cluster, tmp_path):
    out = tmp_path / "out"
    done = _bench("--executor", "ray", "--ray-address", cluster["address"], "--workers", "2",
                  "--task", "sales_revenue_by_region", "--out", str(out))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "as Ray work on 2 workers" in done.stdout and "report at" in done.stdout
    rows = [json.loads(line) for line in (out / "episodes.jsonl").read_text().splitlines()]
    assert len(rows) > 5 and (out / "report.md").is_file()
    dropped = sorted((out / "rows").iterdir())[0]
    dropped.unlink()
    before = {p.name: p.stat().st_mtime_ns for p in (out / "rows").iterdir()}
    again = _bench("--executor", "ray", "--ray-address", cluster["address"],
                   "--task", "sales_revenue_by_region", "--out", str(out), "--resume")
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    after = {p.name: p.stat().st_mtime_ns for p in (out / "rows").iterdir()}
    assert dropped.is_file() and all(after[n] == t for n, t in before.items())
    assert (out / "episodes.jsonl").read_text().count("\n") == len(rows)


def test_an_address_where_nothing_answers_is_one_sentence_and_loses_nothing(tmp_path):
    out = tmp_path / "out"
    (out / "rows").mkdir(parents=True)
    (out / "rows" / "earlier.json").write_text("{}")
    started = time.monotonic()
    done = _bench("--executor", "ray", "--ray-address", "127.0.0.1:1", "--out", str(out), timeout=60)
    assert time.monotonic() - started < 30
    text = done.stdout + done.stderr
    assert done.returncode == 4 and text.count("--ray-address 127.0.0.1:1: ") == 1, text
    assert "Traceback" not in text and (out / "rows" / "earlier.json").is_file()
    for args in (["--workers", "2"], ["--executor", "ray", "--workers", "0"], ["--executor", "ray",
                                                                             "--ray-address", "nowhere"]):
        bad = _bench(*args, "--out", str(out), timeout=60)
        assert bad.returncode == 4 and "Traceback" not in bad.stdout + bad.stderr, args
