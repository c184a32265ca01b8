"""A language is a plug-in: one new package under worlds/languages/, and nothing else edited."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

from conftest import ROOT

from worlds import languages

# A toy language, to prove the seam: its "programs" print their own text in capitals.
TOY = '''
from worlds.diagnostics.codes import register
from worlds.languages.base import Language
from worlds.result import RunResult, RunStats

QUIET = register("SHOUT1001", "too quiet", "A shout program said nothing.")


class Shout(Language):
    name = "shout"
    extensions = (".shout",)
    aliases = ("yell",)
    title = "Shout"
    summary = "text, said louder"
    code_prefix = "SHOUT"
    budget = "fuel"
    budget_label = "fuel"
    answer = "program"
    card_order = 30

    def check(self, world, source, *, file, workspace, inline):
        return []

    def run(self, world, *, source, name, code, entry, workspace, limits, raw):
        return RunResult(lang=self.name, stdout=source.upper(), sources={name: source},
                         stats=RunStats(fuel=len(source), wall_ms=0.0, memory_bytes=0))

    def card_section(self, world):
        return ["", "shout: write text; it is said in capitals"]


LANGUAGES = (Shout(),)
'''

PROBE = '''
import json, subprocess, sys
from worlds import World
from worlds.session import Session
world = World({"a.csv": "x\\n1\\n"})
session = Session(world)
session.write("hello.shout", "hi there")
spec = next(s for s in session.tools("anthropic") if s["name"] == "run")
cli = subprocess.run([sys.executable, "-m", "worlds", "run", "--lang", "shout", "-c", "abc"],
                     capture_output=True, text=True)
explain = subprocess.run([sys.executable, "-m", "worlds", "explain", "SHOUT1001"], capture_output=True,
                         text=True)
print(json.dumps({
    "explain": explain.stdout,
    "run": world.run("hello", lang="shout").stdout,
    "file": session.run("hello.shout").stdout,
    "tool": session.call("run", {"code": "quiet", "lang": "yell"}),
    "enum": spec["input_schema"]["properties"]["lang"]["enum"],
    "card": [line for line in world.describe("shout").splitlines() if "shout" in line],
    "cli": cli.stdout,
}))
'''


def test_the_registry_has_js_jsonata_sql_and_prql_in_order():
    assert languages.names() == ("js", "jsonata", "sql", "prql")
    assert languages.by_extension("a/b.MJS").name == "js"
    assert languages.by_extension("q.prql").name == "prql"
    assert languages.by_extension("notes.txt") is None
    assert languages.by_extension("q.jsonata").name == "jsonata"
    assert [c.budget for c in languages.all_languages()] == ["fuel", "fuel", "steps", "steps"]


def test_a_new_language_package_is_found_by_world_session_tools_card_and_cli(tmp_path):
    # A copy of the package with one more folder under languages/: no other file is touched.
    shutil.copytree(ROOT / "worlds", tmp_path / "worlds", ignore=shutil.ignore_patterns("__pycache__"))
    os.symlink(ROOT / "runtime", tmp_path / "runtime")
    toy = tmp_path / "worlds" / "languages" / "shout"
    toy.mkdir()
    (toy / "__init__.py").write_text(textwrap.dedent(TOY))
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["run"] == "HELLO"
    assert found["file"] == "HI THERE"
    assert "QUIET" in found["tool"] and "fuel 5" in found["tool"]
    assert found["enum"] == ["js", "jsonata", "shout", "sql", "prql"]  # packages in name order
    assert any("shout (text, said louder)" in line for line in found["card"])
    assert "shout: write text; it is said in capitals" in found["card"]
    assert "ABC" in found["cli"]
    assert "too quiet" in found["explain"]
