"""The episodes a bench run plays: tasks x agents x arms x faults x repeats, from pytest's options."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from worlds import languages

from .agents.base import Agent, Limiter
from .episode import TOOL_SETS, Arm, trace_name
from .faults import catalog, in_world, seed_fault
from .tasks import TOOLCALLS, Task, all_tasks

OFFLINE = ("reference", "fixit")


@dataclass(frozen=True)
class Case:
    """One episode to play."""

    task: Task
    arm: Arm
    agent: str  # the agent spec: "reference", "fixit", "replay:DIR", "openai:MODEL", "anthropic:MODEL"
    repeat: int = 0
    seed: int = 0
    fault: str | None = None
    base_url: str | None = None
    price: tuple[float, float] | None = None
    judge: str | None = None
    replays: str | None = None  # replay: the agent that recorded the trace
    trace: Path | None = None  # replay: the trace to play
    ask: int = 0  # --ask: times the agent is asked how it would do the task, before the episode

    @property
    def id(self) -> str:
        agent = f"replay-{self.replays}" if self.replays else self.agent
        return trace_name(self.task, self.arm, agent, self.repeat, self.fault).removesuffix(".jsonl")

    @property
    def model(self) -> str | None:
        kind, _, model = self.agent.partition(":")
        return model if kind in ("openai", "anthropic") else None

    def make_agent(self, limiter: Limiter | None = None) -> Agent:
        """The agent for this episode (API clients are made here, in the worker that uses them)."""
        return agent_for(self.agent, base_url=self.base_url, price=self.price, seed=self.seed,
                         trace=self.trace, replays=self.replays, limiter=limiter)


#: Options a caller of ``plan`` (a test, a perf script) may leave out, and what leaving one out means.
OPTIONAL: dict[str, Any] = {"--ask": 0, "--fault": ""}


def _optional(option: Callable[[str], Any], name: str) -> Any:
    try:
        return option(name)
    except (KeyError, ValueError):  # pytest's getoption raises ValueError for an option it lacks
        return OPTIONAL[name]


def agent_for(spec: str, *, base_url: str | None = None, price: tuple[float, float] | None = None,
              seed: int = 0, trace: Path | None = None, replays: str | None = None,
              limiter: Limiter | None = None) -> Agent:
    """The agent an ``--agent`` spec names; an API agent without credentials raises ``AgentError``."""
    kind, _, rest = spec.partition(":")
    if kind == "reference":
        from .agents.offline import ReferenceAgent
        return ReferenceAgent()
    if kind == "fixit":
        from .agents.offline import FixitAgent
        return FixitAgent()
    if kind == "replay":
        from .agents.offline import ReplayAgent
        return ReplayAgent(trace or Path(rest), replays or "")
    if kind == "openai":
        from .agents.openai_agent import OpenAIAgent
        return OpenAIAgent(rest, base_url=base_url, price=price, seed=seed, limiter=limiter)
    from .agents.anthropic_agent import AnthropicAgent
    return AnthropicAgent(rest, base_url=base_url, price=price, limiter=limiter)


def _list(text: str) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip()]


def plan(option: Callable[[str], Any], tasks: list[Task] | None = None) -> list[Case]:
    """The cases pytest's options ask for; a bad option raises ``ValueError`` with a sentence."""
    agents = _list(option("--agent"))
    for spec in agents:
        kind, _, rest = spec.partition(":")
        if kind not in (*OFFLINE, "replay", "openai", "anthropic") or (kind not in OFFLINE and not rest):
            raise ValueError(f"--agent {spec!r}: use reference, fixit, replay:TRACES, openai:MODEL "
                             "or anthropic:MODEL")
    for spec in agents:
        if spec.partition(":")[0] in ("openai", "anthropic"):
            _credentials(spec, option("--base-url"))
    langs = _list(option("--arm"))
    for lang in langs:
        if lang not in (*languages.names(), TOOLCALLS):
            raise ValueError(f"--arm {lang!r}: the arms are {', '.join(languages.names())} and {TOOLCALLS}")
    diagnostics = _list(option("--diagnostics"))
    if any(d not in ("full", "raw") for d in diagnostics):
        raise ValueError(f"--diagnostics {option('--diagnostics')!r}: use full, raw or full,raw")
    tool_sets = _list(option("--tools")) or ["all"]
    if any(t not in TOOL_SETS for t in tool_sets):
        raise ValueError(f"--tools {option('--tools')!r}: the tool sets are {', '.join(TOOL_SETS)}")
    modes = _list(option("--mode") or "loop")
    if not modes or any(m not in ("loop", "oneshot") for m in modes):
        raise ValueError(f"--mode {option('--mode')!r}: use loop, oneshot or loop,oneshot")
    turns, repeat, seed = option("--turns"), option("--repeat"), option("--seed")
    if turns < 1 or repeat < 1:
        raise ValueError("--turns and --repeat must be at least 1")
    ask = _optional(option, "--ask")
    if ask < 0:
        raise ValueError(f"--ask {ask}: give how many times to ask for the plan (0: never)")
    price = _price(option("--price"))
    asked = _list(_optional(option, "--fault") or "")
    unknown = [k for k in asked if k not in catalog()]
    if unknown:
        raise ValueError(f"--fault {unknown[0]!r}: the fault kinds are {', '.join(catalog())}")
    wanted = _list(option("--task"))
    tasks = [t for t in (tasks if tasks is not None else all_tasks())
             if not wanted or any(w in t.name for w in wanted)]
    if not tasks:
        raise ValueError(f"--task {option('--task')!r} matches no task")
    cases = []
    by_name = {t.name: t for t in tasks}
    for spec in agents:
        kind, _, source = spec.partition(":")
        if kind == "replay":  # the recorded episodes themselves say what to play
            cases += [Case(by_name[h["task"]], Arm(**h["arm"]), spec, h["repeat"], h["seed"], h["fault"],
                           replays=h["agent"], trace=path, ask=ask)
                      for path, h in recorded(Path(source))
                      if h["task"] in by_name and (not langs or h["arm"]["lang"] in langs)]
    for task in tasks:
        for spec in agents:
            kind = spec.partition(":")[0]
            if kind == "replay":
                continue
            feedback = diagnostics or (["full", "raw"] if kind == "fixit" else ["full"])
            for lang in [lang for lang in task.arms if not langs or lang in langs]:
                if lang == TOOLCALLS:  # no program to break or to write in one shot: only the loop
                    if kind != "fixit" and "loop" in modes and not asked:  # no fault applies to it
                        cases += [Case(task, Arm(TOOLCALLS, "full", "all", turns, TOOLCALLS), spec, r, seed,
                                       None, option("--base-url"), price, option("--judge"), ask=ask)
                                  for r in range(repeat)]
                    continue
                # fixit plays the program faults with a site in the reference; every agent plays the
                # world faults asked for (the host changes the world between turns).
                faults = [f for f in _faults(task, lang, seed) if not asked or f in asked] \
                    if kind == "fixit" else [None] if not asked else []
                if kind != "fixit":
                    faults += [k for k in asked if in_world(k) and lang in catalog()[k].langs]
                # One shot runs nothing, so diagnostics and tools do not apply: one arm per language.
                arms = [Arm(lang, f, tools, turns) for f in feedback for tools in tool_sets] \
                    if "loop" in modes else []
                arms += [Arm(lang, "full", "all", 1, "oneshot")] if "oneshot" in modes else []
                cases += [Case(task, arm, spec, r, seed, fault, option("--base-url"), price,
                               option("--judge"), ask=ask)
                          for arm in arms for fault in faults for r in range(repeat)]
    return cases


def recorded(source: Path) -> list[tuple[Path, dict[str, Any]]]:
    """Every trace under ``source`` (a trace file or a folder of them), with its header."""
    files = sorted(source.rglob("*.jsonl")) if source.is_dir() else [source]
    heads = []
    for path in files:
        try:
            with path.open() as f:
                head = json.loads(f.readline() or "null")
        except (OSError, ValueError):
            continue
        if isinstance(head, dict) and head.get("type") == "episode":
            heads.append((path, head))
    if not heads:
        raise ValueError(f"no traces to replay in {source}")
    return heads


def _faults(task: Task, lang: str, seed: int) -> list[str | None]:
    """The fault kinds that find a site in this task's ``lang`` reference."""
    source, world = task.solution(lang), task.load_world()
    return [kind for kind in catalog()
            if seed_fault(kind, source, lang, world, seed=seed, task=task.name) is not None]


def _credentials(spec: str, base_url: str | None) -> None:
    """Make the API agent once, so a missing key is one clear sentence rather than an error per episode."""
    from .agents.base import AgentError
    try:
        agent_for(spec, base_url=base_url)
    except AgentError as err:
        raise ValueError(f"--agent {spec}: {err}") from None


def _price(text: str | None) -> tuple[float, float] | None:
    if not text:
        return None
    try:
        low, high = (float(p) for p in text.split(","))
    except ValueError:
        raise ValueError(f"--price {text!r}: give USD per million input and output tokens, e.g. 0.4,1.6") \
            from None
    return low, high
