"""Code mode: a real MCP server's tools (started over stdio by the tests) as JS-light functions."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest

from worlds import World, WorldError
from worlds.host.mcp import connect

TOTALS = ("const nl = crm.customers_in({ country: 'NL' });\n"
          "const totals = nl.map((c) => [c.name, crm.orders(c.id).reduce((a, o) => a + o.total, 0)]);\n"
          "console.log(JSON.stringify(totals));")
SERVER = [sys.executable, str(Path(__file__).parent / "fixtures" / "mcp_crm.py")]


@pytest.fixture(scope="module")
def crm() -> World:
    return World(files={"notes.txt": "x"}, functions=connect("crm", SERVER))


def test_tools_become_typed_functions_in_the_card(crm: World) -> None:
    card = crm.describe("js")
    assert "declare namespace crm {" in card
    assert "/** Customers in a country (ISO code). */" in card
    assert "function customers_in(country: string, limit?: number)" in card
    assert "function find_customer(id: number)" in card  # `find-customer`, as a JS name


def test_one_program_makes_many_calls_with_logic_between(crm: World) -> None:
    r = crm.run(TOTALS)
    assert r.ok, r
    assert r.stdout == '[["Ada",300],["Cy",450]]\n'
    assert [c["name"] for c in r.calls] == ["crm.customers_in", "crm.orders", "crm.orders"]
    again = crm.run(TOTALS, tape=r.calls)
    assert again.receipt == r.receipt


def test_a_failing_tool_throws_its_own_message(crm: World) -> None:
    r = crm.run("let m; try { crm.payments() } catch (e) { m = e.message }; m")
    assert r.ok and r.value
    r = crm.run("const id = 9;\ncrm.find_customer(id)")
    (d,) = r.diagnostics
    assert d.code == "JS1010" and "no customer with id 9" in d.message and d.span.start.line == 2


def test_arguments_are_checked_against_the_input_schema(crm: World) -> None:
    r = crm.run("crm.orders({ customer_id: 'x' })")
    assert [d.code for d in r.diagnostics] == ["JS2034"]
    r = crm.run("const v = 'x'; let m; try { crm.orders(v) } catch (e) { m = e.name + ': ' + e.message }; m")
    assert r.value.startswith("TypeError: crm.orders:") and "integer" in r.value
    r = crm.run("crm.order(1)")
    assert r.diagnostics[0].code == "JS2033"
    assert r.diagnostics[0].fixes[0].edits[0].replacement == "orders"


def test_world_toml_connects_and_bad_commands_say_why(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "world.toml").write_text(f"name = 'shop'\n[connect]\ncrm = {shlex.join(SERVER)!r}\n")
    world = World.from_dir(tmp_path)
    assert world.run("crm.find_customer(2).name").value == "Bo"
    with pytest.raises(WorldError, match="could not start the MCP server"):
        World(files={"a.txt": "x"}, connect={"crm": "/no/such/server --flag"})
    with pytest.raises(WorldError, match="could not start the MCP server"):
        World(files={"a.txt": "x"}, connect={"crm": f"{shlex.quote(sys.executable)} -c 'print(1)'"})
