"""Tasks as files: ``bench/tasks/<task>/task.toml`` plus reference solutions and the expected answer.

A task names a world (a bundled catalog world, a world under ``bench/worlds``,
or ``./world`` inside the task's folder), tells the agent a goal, fixes an
output contract and lists the checks that each score part of the answer.
``expected.json`` holds the answer (``{"columns": [...], "rows": [[...]]}``);
every reference solution (``solution.sql``, ``solution.js``, ``solution.prql``)
must reproduce it.
"""

from __future__ import annotations

import importlib
import json
import tomllib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from worlds import World, catalog, languages

BENCH = Path(__file__).resolve().parent.parent
TASKS = BENCH / "tasks"
WORLDS = BENCH / "worlds"

#: The arm that is no language: the world's host functions as tools of their own (see apitools.py).
TOOLCALLS = "toolcalls"
if TYPE_CHECKING:
    Lang = str
else:
    Lang = Literal[(*languages.names(), TOOLCALLS)]  # every language worlds has can be an arm
EXTENSION = {language.name: language.extensions[0] for language in languages.all_languages()}
EXTENSION[TOOLCALLS] = ".json"  # the rows, written with write_file


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Output(_Strict):
    """Where the answer is: ``rows`` (a query's result; JS prints JSON rows) or a ``file`` a JS run writes."""

    kind: Literal["rows", "file"] = "rows"
    path: str | None = None  # for kind = "file": a .csv or .json (array of objects) in the workspace
    columns: list[str]  # the expected column names, in order
    key: list[str] = Field(default_factory=list)  # columns that identify a row; empty = all columns
    ordered: bool = False  # whether the row order is part of the answer
    tolerance: float = 0.01  # numbers outside the key match within this (absolute: goals ask for rounding)


class Check(_Strict):
    """One scored part of the task; completion is the weighted mean of the checks."""

    kind: Literal["columns", "row_count", "values", "order"]
    weight: float = 1.0


class Task(_Strict):
    name: str
    world: str
    title: str
    goal: str
    arms: list[Lang]
    level: Literal["easy", "medium", "hard"] = "medium"
    tags: list[str] = Field(default_factory=list)
    output: Output
    checks: list[Check] = Field(default_factory=list)
    folder: Path

    def scored_checks(self) -> list[Check]:
        """The task's checks, or the defaults: columns, row count, values, and order when it matters."""
        if self.checks:
            return list(self.checks)
        kinds = ["columns", "row_count", "values"] + (["order"] if self.output.ordered else [])
        return [Check(kind=k) for k in kinds]  # type: ignore[arg-type]

    def solution(self, lang: str) -> str:
        if lang == TOOLCALLS:  # a plan of tool calls (see agents/offline.py), not a program
            return (self.folder / "solution.toolcalls.py").read_text()
        return (self.folder / f"solution{EXTENSION[lang]}").read_text()

    def expected(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.folder / "expected.json").read_text())
        return data

    def load_world(self) -> World:
        return load_world(self.world, self.folder)

    def answer_path(self, lang: str) -> str:
        """The workspace file whose program is the agent's answer in ``lang``."""
        return f"answer{EXTENSION[lang]}"

    def brief(self, lang: str) -> str:
        """The goal as the agent is told it, with where to put the answer in ``lang``."""
        answer = self.answer_path(lang)
        check = "" if lang == TOOLCALLS else " Run it to check it works;"
        return (f"{self.goal.strip()}\n\n{self.deliver(lang)}{check} `{answer}` as it "
                "stands when you stop is your answer.")

    def deliver(self, lang: str) -> str:
        """What the answer in ``lang`` must be: the file, and the rows or file it gives."""
        answer = self.answer_path(lang)
        columns = ", ".join(self.output.columns)
        order = " in the order asked for" if self.output.ordered else ""
        if lang == TOOLCALLS:
            return (f"Use the tools to find the answer, then write it with write_file to `{answer}`: a JSON "
                    f"array of objects with the keys {columns}{order}.")
        if self.output.kind == "file":
            return (f"Write a JavaScript program to `{answer}` that writes `{self.output.path}` with the "
                    f"columns {columns}{order}.")
        language = languages.get(lang)
        if language.answer == "program":
            return (f"Write a JavaScript program to `{answer}` that prints the rows as JSON, an array of "
                    f"objects with the keys {columns}{order} (`console.log(JSON.stringify(rows))`).")
        if language.answer == "value":
            return (f"Write a {language.title} expression to `{answer}` whose value is the rows: an array of "
                    f"objects with the keys {columns}{order}.")
        return f"Write a {language.title} query to `{answer}` whose result has the columns {columns}{order}."


def load(folder: Path) -> Task:
    """The task in ``folder``; a malformed task.toml raises ``ValueError`` naming the file."""
    path = folder / "task.toml"
    try:
        data = tomllib.loads(path.read_text())
        return Task(name=folder.name, folder=folder, **data)
    except (OSError, tomllib.TOMLDecodeError, ValidationError, TypeError) as err:
        raise ValueError(f"{path}: {err}") from None


def all_tasks(root: Path = TASKS) -> list[Task]:
    return [load(p) for p in sorted(root.iterdir()) if (p / "task.toml").is_file()]


@cache
def load_world(name: str, folder: Path | None = None) -> World:
    """``./world`` in the task folder, a world under ``bench/worlds``, an API world (``api:crm``, from
    ``bench/worlds/apis/crm.py``), or a bundled catalog world."""
    if name.startswith("api:"):
        module = importlib.import_module(f"bench.worlds.apis.{name[4:]}")
        return World(files=module.FILES, functions=module.FUNCTIONS, name=name[4:],
                     description=module.DESCRIPTION, now=module.NOW)
    if name.startswith("./") and folder is not None:
        return World.from_dir(folder / name)
    if (WORLDS / name / "world.toml").is_file():
        return World.from_dir(WORLDS / name)
    return catalog.load(name)
