"""Script or module: the checker decides whether a program needs ES module mode."""

from __future__ import annotations

import pytest

from worlds import World
from worlds.languages.js import is_module

CASES = [
    ("1+2", False),
    ("const s = 'we await you'; s", False),
    ("'x'; // await\n5", False),
    ("/* await */ 1", False),
    ("(async () => await 1)()", False),
    ("const importance = 1;\nimportance", False),
    ("async function f() { await 1 }", False),
    ("const f = async () => { await 1 }", False),
    ("class A { async m() { await 1 } }", False),
    ("const o = { async m() { await 1 } }", False),
    ("const f = async x => await x; f(1)", False),
    ("[1].map(async (x) => { await x })", False),
    ("import('./x.js')", False),
    ("x = /await/.test(s)", False),
    ("const t = `a ${b} await`", False),
    ("obj.import = 1", False),
    ("a.await", False),
    ("import fs from 'fs'", True),
    ("import { readFileSync } from 'node:fs'; 1", True),
    ("import './setup.js'", True),
    ("export const x = 1", True),
    ("await 1", True),
    ("const x = await f()", True),
    ("console.log(await f())", True),
    ("if (x) { await f() }", True),
    ("for (const f of fs) { await f }", True),
    ("try { await x } catch (e) {}", True),
    ("function f() {}\nawait f()", True),
    ("const y = import.meta.url", True),
    ("const re = a / b; await c", True),
]


@pytest.mark.parametrize(("source", "module"), CASES)
def test_is_module(source: str, module: bool) -> None:
    assert is_module(source) is module


def test_scripts_keep_their_completion_value_and_modules_run() -> None:
    world = World()
    assert world.run("const importance = 2;\nimportance * 3").value == 6
    assert world.run("(async () => await 7)()").value == 7
    module = world.run("const v = await Promise.resolve(5);\nconsole.log(v)")
    assert module.ok and module.stdout == "5\n" and module.value is None
