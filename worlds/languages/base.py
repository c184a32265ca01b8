"""A language is a plug-in: one object that checks, runs and describes programs in it.

A package under ``worlds/languages/`` that exports ``LANGUAGES`` (a tuple of
:class:`Language` objects) is a language; :mod:`worlds.languages` finds them
all, and ``World``, sessions, the tools, the CLI, ``worlds serve`` and the
bench read that registry. Adding a language is one new package plus its
runtime files; its diagnostic codes go in with
:func:`worlds.diagnostics.codes.register`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar, Literal

if TYPE_CHECKING:
    from ..diagnostics import Diagnostic
    from ..limits import Limits
    from ..result import RunResult
    from ..world import World


class Language(ABC):
    """What the rest of worlds needs to know about one language."""

    name: ClassVar[str]  # as agents and the API name it: "js"
    extensions: ClassVar[tuple[str, ...]]  # file name endings that mean this language, the usual first
    aliases: ClassVar[tuple[str, ...]] = ()  # other names an agent may give it ("javascript", "postgres")
    title: ClassVar[str]  # as a prompt names it: "SQL", "JavaScript (Node's fs, path and console)"
    summary: ClassVar[str] = ""  # the world card's one line on it, after its name
    code_prefix: ClassVar[str]  # its diagnostic codes start with this: "JS", "SQL", "PRQL"
    budget: ClassVar[Literal["fuel", "steps"]]  # the limit its runs spend
    budget_label: ClassVar[str]  # how a run's answer names what it spent: "fuel", "SQLite steps"
    answer: ClassVar[Literal["program", "query", "value"]]  # a program prints its answer; a query's rows
    # are it; an expression's value is it
    card_files: ClassVar[bool] = False  # the card lists each file's columns under it (programs read files)
    card_tables: ClassVar[bool] = False  # the card shows the data files as tables
    card_order: ClassVar[int] = 0  # where its own card section goes when every language is shown
    host_functions: ClassVar[bool] = False  # its programs can call the world's host functions (its
    # ``run`` then takes ``host``, the run's :class:`~worlds.host.bridge.Bridge`)

    def claims(self, code: str) -> bool:
        """Whether ``code`` given without a language can only be this language."""
        return False

    @abstractmethod
    def check(self, world: World, source: str, *, file: str, workspace: Mapping[str, bytes],
              inline: bool) -> list[Diagnostic]:
        """Static diagnostics for ``source`` (``inline``: program text given, not a file)."""

    @abstractmethod
    def run(self, world: World, *, source: str, name: str, code: str | None, entry: str | None,
            workspace: dict[str, bytes], limits: Limits, raw: bool) -> RunResult:
        """Run the program (``code``, or the file ``entry``) and return its result, not yet signed."""

    def card_section(self, world: World) -> list[str]:
        """Lines of the world card that only this language needs (its API, its library)."""
        return []
