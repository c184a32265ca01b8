"""``pytest bench/``: every task with the offline agents, or a real experiment.

    pytest bench/                                   # reference + fixit, every task and arm
    pytest bench/ --agent openai:gpt-4.1-mini --arm sql,prql --repeat 20
    pytest bench/ --agent anthropic:claude-sonnet-4-5 --diagnostics full,raw --turns 8
    pytest bench/ --executor ray [--ray-address HOST:PORT] [--workers N]
    pytest bench/ --agent openai:gpt-4.1-mini --ask 3              # stated plan vs trajectory

Episodes run in parallel (pytest-xdist, see bench/pytest.ini), or as Ray work
(``--executor ray``, which turns xdist off: ``harness/executor_ray.py``). Each
writes its row and trace under ``--out`` as it finishes (``--resume`` keeps
those and skips their cases); when the session ends the rows are gathered into
``episodes.jsonl`` and ``report.md`` with its plots is written there.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bench.harness.plan import Case, plan
from bench.harness.play import Row, keep, kept, play

ROOT = Path(__file__).resolve().parent


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("bench", "the agent-loop benchmark")
    group.addoption("--agent", default="reference,fixit",
                    help="agents, comma-separated: reference, fixit, replay:TRACES, openai:MODEL, "
                         "anthropic:MODEL (default: reference,fixit)")
    group.addoption("--arm", default="", help="languages: sql,js,prql (default: each task's own)")
    group.addoption("--diagnostics", default="",
                    help="full,raw (default: full; fixit runs both, for the ablation)")
    group.addoption("--tools", default="all", help="tool sets: all,core (default: all)")
    group.addoption("--turns", type=int, default=12, help="turn budget per episode (default: 12)")
    group.addoption("--mode", default="loop",
                    help="loop (tools and turns), oneshot (the goal and the world card, one reply, "
                         "nothing run), or loop,oneshot to measure the loop's lift (default: loop)")
    group.addoption("--repeat", type=int, default=1, help="episodes per task and arm (default: 1)")
    group.addoption("--seed", type=int, default=0, help="seed for faults and sampling (default: 0)")
    group.addoption("--fault", default="",
                    help="fault kinds, comma-separated (default: fixit plays every program fault with a "
                         "site); a world fault such as outside-change is played by every agent")
    group.addoption("--task", default="", help="only tasks whose name contains one of these, comma-separated")
    group.addoption("--out", default=str(ROOT / "out"), help="where traces and the report go (bench/out)")
    group.addoption("--base-url", default=None, help="API base URL for openai/anthropic agents")
    group.addoption("--price", default=None,
                    help="USD per million input,output tokens, for cost when the API does not say it")
    group.addoption("--judge", default=None, help="an OpenAI-compatible MODEL that scores each trajectory")
    group.addoption("--resume", action="store_true",
                    help="keep --out's finished episodes and play only the others")
    group.addoption("--executor", default="local", choices=("local", "ray"),
                    help="local (this machine, pytest-xdist's -n) or ray (a Ray cluster; default: local)")
    group.addoption("--ray-address", default=None,
                    help="with --executor ray: HOST:PORT of a running cluster (default: start a local one)")
    group.addoption("--workers", type=int, default=None,
                    help="with --executor ray: worker actors (default: one per CPU of the cluster)")
    group.addoption("--api-concurrency", type=int, default=None,
                    help="with --executor ray: API requests in flight per model, across all workers")
    group.addoption("--api-rpm", type=float, default=None,
                    help="with --executor ray: API requests per minute per model, across all workers")
    group.addoption("--ask", type=int, default=0,
                    help="ask the agent N times how it would do the task before each episode; the report "
                         "compares the stated plans with the trajectory (default: 0, never)")


def _is_controller(config: pytest.Config) -> bool:
    return not hasattr(config, "workerinput")


def _out(config: pytest.Config) -> Path:
    return Path(config.getoption("--out")).resolve()


def pytest_configure(config: pytest.Config) -> None:
    if _is_controller(config):
        out = _out(config)
        for spec in str(config.getoption("--agent")).split(","):
            kind, _, source = spec.strip().partition(":")
            if kind == "replay" and source and Path(source).resolve().is_relative_to(out):
                raise pytest.UsageError(f"--agent {spec.strip()}: the traces to replay are inside --out "
                                        f"{out}, which this run clears; copy them elsewhere or give --out")
        ray = _executor_options(config)
        if any("bench" in str(a) for a in config.args):
            try:  # a bad option is one sentence here, before any worker starts
                plan(config.getoption)
            except ValueError as err:
                raise pytest.UsageError(str(err)) from None
        # The cluster first: when it cannot be had, the last run's rows are still there.
        if ray and any("bench" in str(a) for a in config.args) and not config.getoption("collectonly"):
            config.stash[_RAY] = _start_ray(config, out)
        # A new run replaces the last one's rows and traces, so the report describes one run.
        if not config.getoption("--resume"):
            for part in ("rows", "traces"):
                shutil.rmtree(out / part, ignore_errors=True)
        out.mkdir(parents=True, exist_ok=True)


def _executor_options(config: pytest.Config) -> bool:
    """Check the executor's options; with Ray, pytest-xdist is off for the run (Ray spreads the work)."""
    ray = config.getoption("--executor") == "ray"
    for name in ("--ray-address", "--workers", "--api-concurrency", "--api-rpm"):
        if config.getoption(name) is not None and not ray:
            raise pytest.UsageError(f"{name} needs --executor ray (the local executor's workers are -n N)")
    for name in ("--workers", "--api-concurrency", "--api-rpm"):
        if config.getoption(name) is not None and config.getoption(name) <= 0:
            raise pytest.UsageError(f"{name} {config.getoption(name)}: give a number above 0")
    if ray:  # xdist's own pytest_configure runs after this one (trylast) and finds nothing to distribute
        config.option.numprocesses, config.option.dist, config.option.tx = 0, "no", []
    return ray


def _start_ray(config: pytest.Config, out: Path) -> Any:
    try:
        from bench.harness.executor_ray import ExecutorError, RayExecutor
    except ImportError:
        raise pytest.UsageError("--executor ray needs Ray: pip install 'worlds[ray]'") from None
    option = config.getoption
    executor = RayExecutor(out, address=option("--ray-address"), workers=option("--workers"),
                           concurrency=option("--api-concurrency"), rpm=option("--api-rpm"),
                           resume=option("--resume"))
    try:
        executor.start()
    except ExecutorError as err:
        executor.close()
        raise pytest.UsageError(str(err)) from None
    return executor


_RAY = pytest.StashKey[Any]()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "case" not in metafunc.fixturenames:
        return
    try:
        cases = plan(metafunc.config.getoption)
    except ValueError as err:
        raise pytest.UsageError(str(err)) from None
    metafunc.parametrize("case", [pytest.param(c, id=c.id, marks=pytest.mark.xdist_group(c.task.world))
                                  for c in cases])


@pytest.fixture(scope="session")
def out(request: pytest.FixtureRequest) -> Path:
    return _out(request.config)


@pytest.fixture(scope="session")
def played(request: pytest.FixtureRequest, out: Path) -> Callable[[Case], Row]:
    """The row of a case: played here, kept from an earlier run (``--resume``), or the Ray executor's."""
    executor = request.config.stash.get(_RAY, None)
    if executor is not None:
        from bench.harness.executor_ray import EpisodeFailed

        def from_ray(case: Case) -> Row:
            try:
                row: Row = executor.result(case.id)
            except EpisodeFailed as err:
                pytest.fail(str(err), pytrace=False)
            return row
        return from_ray
    resume = request.config.getoption("--resume")

    def here(case: Case) -> Row:
        row = kept(out, case) if resume else None
        if row is None:
            row = play(case, out)
            keep(out, case, row)
        return row
    return here


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """With Ray, every collected case is handed to the executor at once; items then wait for theirs."""
    executor = session.config.stash.get(_RAY, None)
    if executor is None:
        return
    progress = session.config.stash.get(_PROGRESS, None)
    cases = [item.callspec.params["case"] for item in session.items
             if "case" in getattr(getattr(item, "callspec", None), "params", {})]
    executor.submit(cases, on_done=progress.completed if progress is not None else None)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"bench: {len(cases)} episodes as Ray work on {len(executor.slots)} workers")


class _Progress:
    """A progress bar over the episodes, with the mean completion so far (controller only)."""

    def __init__(self, fed: bool = False) -> None:
        self.bar: Any = None
        self.done: list[float] = []
        self.fed = fed  # the Ray executor feeds it completions as they come, not pytest's reports

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self._start(len(session.items))

    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        if self.bar is None:
            self._start(len(ids))

    def _start(self, total: int) -> None:
        from tqdm import tqdm
        if total and self.bar is None:
            self.bar = tqdm(total=total, unit="episode", file=sys.__stderr__, mininterval=1.0,
                            dynamic_ncols=True, disable=os.environ.get("BENCH_PROGRESS") == "0")

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call" or self.bar is None or self.fed:
            return
        props = dict(report.user_properties)
        self._advance(float(props["completion"]) if "completion" in props else None)

    def completed(self, row: Row) -> None:
        if self.bar is not None:
            self._advance(float(row["completion"]))

    def _advance(self, completion: float | None) -> None:
        if completion is not None:
            self.done.append(completion)
        self.bar.update(1)
        if self.done:
            self.bar.set_postfix(completion=f"{sum(self.done) / len(self.done):.3f}", refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def pytest_sessionstart(session: pytest.Session) -> None:
    if _is_controller(session.config) and any("bench" in str(a) for a in session.config.args):
        progress = _Progress(fed=session.config.stash.get(_RAY, None) is not None)
        session.config.pluginmanager.register(progress, "bench-progress")
        session.config.stash[_PROGRESS] = progress


_PROGRESS = pytest.StashKey[_Progress]()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not _is_controller(session.config):
        return
    executor = session.config.stash.get(_RAY, None)
    if executor is not None:
        executor.close()
    progress = session.config.stash.get(_PROGRESS, None)
    if progress is not None:
        progress.close()
    out = _out(session.config)
    rows = sorted((out / "rows").glob("*.json")) if (out / "rows").is_dir() else []
    if not rows:
        return
    with (out / "episodes.jsonl").open("w") as merged:
        for path in rows:
            merged.write(json.dumps(json.loads(path.read_text()), sort_keys=True) + "\n")
    from bench.harness.report import write_report
    report = write_report(out)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"bench: {len(rows)} episodes; report at {report}")

