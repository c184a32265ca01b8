"""Host functions: the world's API called from JS-light, its tape, suspension and its limits."""

from __future__ import annotations

import asyncio
import time

import pytest

from worlds import SessionError, World, WorldError, needs_approval, suspend

CUSTOMERS = {3: {"id": 3, "name": "Ada", "tier": "gold"}, 4: {"id": 4, "name": "Bo", "tier": "silver"}}
CALLED: list[str] = []


def find_customer(id: int) -> dict:
    """Look a customer up by id."""
    CALLED.append(f"find {id}")
    if id not in CUSTOMERS:
        raise KeyError(f"no customer {id}")
    return CUSTOMERS[id]


async def orders(customer_id: int, limit: int = 3) -> list[dict]:
    """A customer's latest orders."""
    await asyncio.sleep(0)
    return [{"id": customer_id * 100 + i, "total": 10.0 * i} for i in range(1, limit + 1)]


def refund(order_id: int, amount: float) -> dict:
    """Refund part of an order."""
    CALLED.append(f"refund {order_id}")
    return suspend("refunds need a person's approval")


@needs_approval("closing an account needs approval")
def close_account(id: int) -> dict:
    CALLED.append(f"close {id}")
    return {"closed": id}


def world(**extra: object) -> World:
    return World(files={"notes.txt": "hello"}, functions={
        "crm.findCustomer": find_customer, "crm.orders": orders, "crm.refund": refund,
        "crm.closeAccount": close_account, **extra})  # type: ignore[dict-item]


@pytest.fixture(autouse=True)
def _clear() -> None:
    CALLED.clear()


def test_positional_and_named_arguments_with_or_without_await() -> None:
    r = world().run("const a = crm.findCustomer(3); const b = await crm.findCustomer({ id: 4 });\n"
                    "const o = crm.orders({ customer_id: 3, limit: 2 });\n"
                    "console.log(a.name, b.name, o.map((x) => x.id).join(','))")
    assert r.ok, r
    assert r.stdout == "Ada Bo 301,302\n"
    assert [c["name"] for c in r.calls] == ["crm.findCustomer", "crm.findCustomer", "crm.orders"]
    assert r.calls[0] == {"id": "c1", "name": "crm.findCustomer", "args": [3], "value": CUSTOMERS[3]}
    assert "host calls (3: crm.findCustomer 2, crm.orders 1)" in str(r)


def test_host_exception_is_a_catchable_error_and_uncaught_a_diagnostic_at_the_call() -> None:
    w = world()
    r = w.run("const id = 9;\ntry { crm.findCustomer(id) } catch (e) { console.log('caught:', e.message) }")
    assert r.ok and r.stdout == "caught: 'no customer 9'\n"
    assert r.calls[0]["error"] == {"name": "Error", "message": "'no customer 9'"}
    r = w.run("const id = 9;\nconst c = crm.findCustomer(id);")
    assert not r.ok
    (d,) = r.diagnostics
    assert d.code == "JS1010" and "crm.findCustomer failed" in d.message
    assert d.span is not None and d.span.start.line == 2
    assert "Traceback" not in str(r) and "KeyError" not in str(r)


def test_arguments_are_validated_against_type_hints() -> None:
    w = world()
    r = w.run("const id = 'three'; let m; try { crm.findCustomer(id) } catch (e) { m = e.message }; m")
    assert r.ok and "id" in r.value and "integer" in r.value
    assert r.calls[0]["error"]["name"] == "TypeError"


def test_checker_knows_the_functions_before_the_run() -> None:
    w = world()
    r = w.run("crm.findCustomr({ id: 3 })")
    (d,) = r.diagnostics
    assert d.code == "JS2033" and d.fixes and d.fixes[0].applicable
    assert d.fixes[0].edits[0].replacement == "findCustomer"
    assert not CALLED  # nothing ran
    r = w.run("crm.findCustomer({ id: 'three' })")
    assert [d.code for d in r.diagnostics] == ["JS2034"]
    r = w.run("crm.orders({ limit: 2 })")
    assert r.diagnostics[0].code == "JS2034" and "customer_id" in r.diagnostics[0].message
    r = w.run("crm.orders({ customer_id: 3, limt: 2 })")
    assert r.diagnostics[0].fixes[0].edits[0].replacement == "limit"
    r = w.run("crn.findCustomer(3)")
    assert r.diagnostics[0].fixes[0].edits[0].replacement == "crm"
    # a name the program declares itself is its own, not the host's
    assert w.run("const crm = { findCustomr: (x) => x }; crm.findCustomr(1)").value == 1


def test_card_declares_the_functions_in_typescript() -> None:
    card = world().describe("js")
    assert "declare namespace crm {" in card
    assert "/** Look a customer up by id. */" in card
    assert "function orders(customer_id: number, limit?: number): Record<string, any>[];" in card
    assert "suspends for approval: closing an account needs approval" in card
    assert "declare namespace" not in World(files={"a.txt": "x"}).describe("js")


def test_tape_replays_without_the_host_and_is_in_the_receipt() -> None:
    w = world()
    code = "let s = 0; for (const id of [3, 4, 3]) s += crm.findCustomer(id).id; s"
    first = w.run(code)
    assert first.value == 10 and len(CALLED) == 3
    again = w.run(code, tape=first.calls)
    assert again.value == 10 and len(CALLED) == 3  # the host was not called
    assert again.receipt == first.receipt and again.to_json() == first.to_json()
    lied = [dict(c) for c in first.calls]
    lied[1] = {**lied[1], "value": {"id": 40}}
    assert w.run(code, tape=lied).value == 46
    assert w.run(code, tape=lied).receipt != first.receipt
    other = w.run("crm.findCustomer(4)", tape=first.calls)
    (d,) = other.diagnostics
    assert d.code == "JS1011" and "tape's c1 is crm.findCustomer(3)" in d.message
    short = w.run(code, tape=first.calls[:2])
    assert short.diagnostics[0].code == "JS1011" and "not on the tape" in short.diagnostics[0].message
    long = w.run("crm.findCustomer(3).id", tape=first.calls)
    assert long.ok and [d.severity for d in long.diagnostics] == ["warning"]


def test_suspend_and_resume_continue_the_same_program() -> None:
    w = world()
    code = ("const c = crm.findCustomer(3);\nconst r = crm.refund({ order_id: 7, amount: 12.5 });\n"
            "fs.writeFileSync('refund.txt', c.name + ' ' + JSON.stringify(r));\nconsole.log('done');")
    r = w.run(code)
    assert r.status == "suspended" and not r.ok
    assert r.pending == [{"id": "c2", "name": "crm.refund", "args": [{"order_id": 7, "amount": 12.5}],
                          "reason": "refunds need a person's approval"}]
    assert r.changes == [] and r.stdout == ""  # nothing shown happened yet
    assert "awaiting an answer" in str(r)
    assert len(r.suspended_state) < 1000
    done = r.resume({"c2": {"refunded": 12.5}})
    assert done.status == "ok" and done.stdout == "done\n"
    assert done.files["refund.txt"] == b'Ada {"refunded":12.5}'
    assert CALLED == ["find 3", "refund 7"]  # the resumed run answered c1 from its tape
    with pytest.raises(SessionError, match="already resumed"):
        r.resume({"c2": 1})


def test_resume_in_another_world_object_with_the_same_key() -> None:
    code = "const r = crm.refund(1, 2); r.ok"
    r = World(files={"a.txt": "x"}, functions={"crm.refund": refund}, state_key="k").run(code)
    other = World(files={"a.txt": "x"}, functions={"crm.refund": refund}, state_key="k")
    assert other.resume(r.suspended_state, {"c1": {"ok": True}}).value is True
    stranger = World(files={"a.txt": "x"}, functions={"crm.refund": refund}, state_key="other")
    with pytest.raises(SessionError, match="signed with another key"):
        stranger.resume(r.suspended_state, {"c1": 1})
    with pytest.raises(SessionError, match="another world"):
        World(files={"a.txt": "y"}, functions={"crm.refund": refund}, state_key="k").resume(
            r.suspended_state, {"c1": 1})


def test_forged_or_truncated_state_is_refused() -> None:
    w = world()
    r = w.run("crm.refund(1, 2)")
    blob = r.suspended_state
    for bad in (blob[:-1], blob[:10], b"", blob[:40] + bytes([blob[40] ^ 1]) + blob[41:], b"x" * 100):
        with pytest.raises(SessionError):
            w.resume(bad, {"c1": 1})
    with pytest.raises(SessionError, match="c1"):
        w.resume(blob, {"c9": 1})
    with pytest.raises(SessionError, match="bytes"):
        w.resume("text", {"c1": 1})  # type: ignore[arg-type]


def test_approval_deny_and_approve() -> None:
    w = world()
    code = "let out; try { out = crm.closeAccount(3) } catch (e) { out = 'no: ' + e.message }; out"
    r = w.run(code)
    assert r.status == "suspended" and r.pending[0]["reason"] == "closing an account needs approval"
    assert CALLED == []  # not called before approval
    assert r.deny("c1", "not today").value == "no: not today"
    r = w.run(code)
    assert r.approve().value == {"closed": 3} and CALLED == ["close 3"]


def test_limits_calls_bytes_and_time() -> None:
    w = World(files={"a.txt": "x"}, functions={"api.echo": lambda text: text, "api.slow": _slow},
              limits={"host_calls": 5, "host_bytes": 1000, "host_call_ms": 200})
    r = w.run("for (let i = 0; i < 10; i++) api.echo('x')")
    assert r.diagnostics[0].code == "JS1011" and "more than 5 host calls" in r.diagnostics[0].message
    assert r.diagnostics[0].span is not None
    r = w.run("let m; try { api.echo('y'.repeat(5000)) } catch (e) { m = e.name + ': ' + e.message }; m")
    assert r.value.startswith("RangeError: the arguments of api.echo are")
    r = w.run("let m; try { api.echo({ text: 'y'.repeat(900) + '\\u00e9'.repeat(50) }) }\n"
              "catch (e) { m = e.message }; m")
    assert "returned" in r.value or "arguments" in r.value
    started = time.perf_counter()
    r = w.run("api.slow()")
    assert time.perf_counter() - started < 5
    assert r.diagnostics[0].code == "JS1010" and "did not answer within 200 ms" in r.diagnostics[0].message


def _slow() -> int:
    time.sleep(3)
    return 1


def test_host_time_does_not_count_against_the_wall_limit() -> None:
    def wait() -> int:
        time.sleep(0.3)
        return 1
    w = World(files={"a.txt": "x"}, functions={"api.wait": wait}, limits={"wall_ms": 500})
    r = w.run("let s = 0; for (let i = 0; i < 4; i++) s += api.wait(); s")
    assert r.ok and r.value == 4


def test_results_json_cannot_hold_and_reentrant_calls() -> None:
    holder: dict[str, World] = {}

    def again() -> str:
        inner = holder["w"].run("api.nan()")  # a host function that runs the world again
        return f"{inner.status} {inner.diagnostics[0].code}"

    w = World(files={"a.txt": "x"}, functions={"api.nan": lambda: float("nan"), "api.again": again,
                                               "api.obj": lambda: object()})
    holder["w"] = w
    r = w.run("let m; try { api.nan() } catch (e) { m = e.message }; m")
    assert "JSON cannot hold" in r.value
    assert w.run("let m; try { api.obj() } catch (e) { m = e.message }; m").value
    assert w.run("api.again()").value == "failed JS1010"  # the inner run failed; the outer one goes on


def test_bad_function_declarations_are_refused() -> None:
    with pytest.raises(WorldError, match="JavaScript names"):
        World(functions={"crm-find": find_customer})
    with pytest.raises(WorldError, match="already a name"):
        World(functions={"fs.read": find_customer})
    with pytest.raises(WorldError, match="is a function"):
        World(functions={"crm": find_customer, "crm.x": find_customer})
    with pytest.raises(WorldError, match="callable"):
        World(functions={"crm.x": 3})  # type: ignore[dict-item]
    with pytest.raises(WorldError, match="ordinary named"):
        World(functions={"crm.x": lambda *a: a})


def test_same_world_same_code_same_bytes_with_calls() -> None:
    a = world().run("crm.orders(3).length")
    b = world().run("crm.orders(3).length")
    assert a.receipt == b.receipt and a.to_json() == b.to_json()
    plain = World(files={"notes.txt": "hello"}).run("1")
    assert "calls" not in plain.to_json() and "pending" not in plain.to_json()


def test_session_keeps_tapes_and_resumes_a_suspended_run() -> None:
    session = world().session()
    session.write("main.js", "const c = crm.findCustomer(3);\nconst r = crm.refund(7, 1.5);\n"
                             "fs.writeFileSync('out.txt', c.name + r.ok);\n")
    r = session.run("main.js")
    assert r.status == "suspended" and session.suspended is r
    assert session.history[-1].summary.startswith("suspended: c2 crm.refund awaits an answer")
    assert "out.txt" not in session.files
    # a server keeps the session between requests: the suspended run survives that
    from worlds import Session
    saved = session.state()
    assert saved["history"][-1]["calls"][0]["name"] == "crm.findCustomer"
    restored = Session.restore(session.world, saved)
    done = restored.resume({"c2": {"ok": True}})
    assert done.ok and restored.files["out.txt"] == b"Adatrue"
    assert restored.suspended is None and [h.ok for h in restored.history] == [False, True]
    assert len(restored.history[-1].calls) == 2
    with pytest.raises(SessionError, match="no run"):
        restored.approve()


def test_describe_tool_searches_functions_and_big_apis_keep_the_card_short() -> None:
    many = {f"shop.op{i}": find_customer for i in range(30)}
    w = World(files={"a.txt": "x"}, functions={**many, "crm.findCustomer": find_customer})
    card = w.describe("js")
    assert "declare namespace" not in card and "describe with functions=" in card
    assert "shop: op0, op1," in card
    text = w.session().call("describe", {"functions": "customer"})
    assert "function findCustomer(id: number)" in text and "op1" in text  # docstring matches too
    assert "no host function matches" in w.session().call("describe", {"functions": "zebra"})


def test_a_resumed_run_sees_the_values_it_would_have_seen() -> None:
    def record() -> dict:
        return {"zeta": 1, "alpha": 2}
    w = World(files={"a.txt": "x"}, functions={"api.record": record, "api.refund": refund})
    plain = w.run("console.log(api.record())")
    resumed = w.run("const r = api.record(); api.refund(1, 2); console.log(r)").resume({"c2": None})
    assert plain.stdout == resumed.stdout == "{ zeta: 1, alpha: 2 }\n"


def test_a_huge_result_is_an_error_at_the_call() -> None:
    w = World(files={"a.txt": "x"}, functions={"api.big": lambda: "x" * 5000}, limits={"host_bytes": 1000})
    r = w.run("let m; try { api.big() } catch (e) { m = e.name + ': ' + e.message }; m")
    assert r.value.startswith("RangeError: api.big returned") and "ask for less" in r.value


def test_a_suspended_run_resumes_in_another_process(tmp_path) -> None:
    import subprocess
    import sys
    program = tmp_path / "resume.py"
    program.write_text(
        "import sys\nfrom worlds import World, suspend\n"
        "def refund(order_id: int) -> dict:\n    return suspend('approve')\n"
        "w = World(files={'a.txt': 'x'}, functions={'shop.refund': refund}, state_key='shared')\n"
        "r = w.resume(sys.stdin.buffer.read(), {'c1': {'ok': True}})\n"
        "print(r.status, r.stdout.strip())\n")
    def refund_one(order_id: int) -> object:
        return suspend("approve")
    w = World(files={"a.txt": "x"}, functions={"shop.refund": refund_one}, state_key="shared")
    r = w.run("const r = shop.refund(5); console.log('refunded', r.ok)")
    assert r.status == "suspended"
    done = subprocess.run([sys.executable, str(program)], input=r.suspended_state, capture_output=True,
                          timeout=120)
    assert done.stdout.decode().strip() == "ok refunded true", done.stderr.decode()[-2000:]


def test_a_function_without_a_namespace_is_a_global() -> None:
    w = World(files={"a.txt": "x"}, functions={"lookup": find_customer})
    assert w.run("lookup(3).name").value == "Ada"
    assert w.run("lookup('x')").diagnostics[0].code == "JS2034"
    assert w.run("lokup(3)").diagnostics[0].fixes[0].edits[0].replacement == "lookup"
    assert "declare function lookup(id: number)" in w.describe("js")


def test_a_tape_of_the_wrong_shape_is_refused_with_a_sentence() -> None:
    for bad in ([1, 2], [{"name": "crm.findCustomer"}], "calls", [{"name": 3, "args": []}]):
        with pytest.raises(WorldError, match="tape must be the calls of a run"):
            world().run("crm.findCustomer(3)", tape=bad)  # type: ignore[arg-type]
