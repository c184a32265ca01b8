"""The `worlds` command: exit codes 0/1/2, readable output, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT


def cli(*args: str, cwd: Path | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m worlds ARGS` and check that no traceback reaches the user."""
    proc = subprocess.run([sys.executable, "-m", "worlds", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env={**os.environ, **(env or {})}, timeout=60)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout, proc.stdout
    return proc


@pytest.fixture
def world_dir(tmp_path: Path) -> Path:
    """A world directory with a manifest and a CSV, and a program file beside it."""
    root = tmp_path / "shop"
    root.mkdir()
    (root / "world.toml").write_text('name = "shop"\nnow = "2024-06-30T12:00:00Z"\nseed = 3\n')
    (root / "orders.csv").write_text("id,amount\n1,10\n2,32\n")
    (tmp_path / "total.js").write_text(
        "const rows = fs.readFileSync('orders.csv', 'utf8').trim().split('\\n').slice(1);\n"
        "const total = rows.reduce((s, r) => s + Number(r.split(',')[1]), 0);\n"
        "console.log('total', total);\nfs.writeFileSync('total.txt', String(total));\ntotal\n")
    return root


def test_run_inline_code():
    """`run -c "1+2"` prints the value and exits 0."""
    p = cli("run", "-c", "1+2")
    assert p.returncode == 0
    assert "value: 3" in p.stdout
    assert "ok in" in p.stdout


def test_run_in_bundled_world_lists_csv_files():
    """`run sales -c "fs.readdirSync('.')"` shows the sales world's CSV files."""
    p = cli("run", "sales", "-c", "fs.readdirSync('.')")
    assert p.returncode == 0
    assert '"regions.csv"' in p.stdout and '"sales.csv"' in p.stdout


def test_run_failing_program_exits_1():
    """A program that throws exits 1 and prints the rendered diagnostic on stdout."""
    p = cli("run", "-c", "throw new Error('x')")
    assert p.returncode == 1
    assert "error[" in p.stdout
    assert "error[JS1006]" in p.stdout and "failed with 1 error" in p.stdout


def test_run_limit_failure_exits_1():
    """A program stopped by a limit exits 1 with the limit's code."""
    p = cli("run", "-c", "while(true){}", cwd=ROOT)
    assert p.returncode == 1
    assert "error[RUN1001]" in p.stdout


def test_run_program_file_in_world_dir(world_dir: Path):
    """`run WORLD FILE` runs a program file against a world directory."""
    p = cli("run", str(world_dir), str(world_dir.parent / "total.js"))
    assert p.returncode == 0, p.stdout + p.stderr
    assert "total 42" in p.stdout
    assert "value: 42" in p.stdout
    assert "created  total.txt (2 bytes)" in p.stdout
    assert not (world_dir / "total.txt").exists()  # the host directory is never written


def test_run_program_file_that_lives_in_the_world_dir(world_dir: Path):
    """A program file inside the world directory can be run against that world."""
    (world_dir / "main.js").write_text("fs.readdirSync('.').join(' ')")
    p = cli("run", str(world_dir), str(world_dir / "main.js"))
    assert p.returncode == 0, p.stdout + p.stderr
    assert 'value: "main.js orders.csv"' in p.stdout  # the manifest is not an input


def test_run_program_file_without_world(tmp_path: Path):
    """`run FILE` runs a file in an empty world."""
    prog = tmp_path / "p.js"
    prog.write_text("console.log('hi'); fs.readdirSync('.')")
    p = cli("run", str(prog))
    assert p.returncode == 0
    assert "hi" in p.stdout and 'value: ["p.js"]' in p.stdout


def test_run_json_output_parses(world_dir: Path):
    """`--json` prints one JSON document with the result's fields."""
    p = cli("run", str(world_dir), str(world_dir.parent / "total.js"), "--json")
    assert p.returncode == 0
    data = json.loads(p.stdout)
    assert data["ok"] is True and data["value"] == 42
    assert data["stdout"] == "total 42\n"
    assert data["files"] == {"total.txt": "42"}
    assert data["changes"] == [{"path": "total.txt", "kind": "created", "size": 2}]
    assert len(data["receipt"]) == 64 and "fuel" in data["stats"]


def test_run_json_output_of_failure():
    """`--json` of a failed run exits 1 and lists its diagnostics."""
    p = cli("run", "--json", "-c", "null.x")
    assert p.returncode == 1
    data = json.loads(p.stdout)
    assert data["ok"] is False
    assert data["diagnostics"][0]["code"] == "JS1003"


def test_json_receipt_is_stable():
    """Two CLI runs of the same code print the same receipt."""
    a = json.loads(cli("run", "sales", "--json", "-c", "Math.random()").stdout)
    b = json.loads(cli("run", "sales", "--json", "-c", "Math.random()").stdout)
    assert a["receipt"] == b["receipt"] and a["value"] == b["value"]


@pytest.mark.parametrize("name, files", [
    ("sales", ["regions.csv", "sales.csv"]),
    ("inventory", ["items.json", "movements.jsonl"]),
])
def test_describe_bundled_worlds(name, files):
    """`describe NAME` shows the world's name, files with sizes, and limits."""
    p = cli("describe", name)
    assert p.returncode == 0
    assert p.stdout.startswith(f"world: {name}\n")
    for f in files:
        line = next(line for line in p.stdout.splitlines() if line.strip().startswith(f))
        assert line.rstrip().endswith(("B", "KB", "MB"))
    assert "limits: fuel" in p.stdout


def test_describe_world_dir(world_dir: Path):
    """`describe DIR` shows a directory world's card."""
    p = cli("describe", str(world_dir))
    assert p.returncode == 0
    assert "world: shop" in p.stdout and "orders.csv" in p.stdout and "seed: 3" in p.stdout


def test_explain_known_code():
    """`explain RUN1001` prints the entry and exits 0."""
    p = cli("explain", "RUN1001")
    assert p.returncode == 0
    assert p.stdout.startswith("RUN1001: instruction budget exhausted")
    assert "Wrong:" in p.stdout and "Right:" in p.stdout


def test_explain_is_case_insensitive():
    """`explain js1003` finds JS1003."""
    p = cli("explain", "js1003")
    assert p.returncode == 0 and p.stdout.startswith("JS1003:")


@pytest.mark.parametrize("args, message", [
    (["explain", "NOPE"], "no diagnostic code"),
    (["run", "nosuchworld", "-c", "1"], "no world"),
    (["describe", "nosuchworld"], "no world"),
    (["run", "/definitely/missing/file.js"], "cannot read"),
    (["run", "sales", "/definitely/missing/file.js"], "cannot read"),
    (["run"], "give FILE"),
    (["run", "a", "b", "c"], "give FILE"),
    (["run", "sales", "extra", "-c", "1"], "at most a WORLD"),
    (["run", "-c", "1", "--lang", "cobol"], "invalid choice"),
    (["frobnicate"], "invalid choice"),
    ([], "required"),
    (["run", "--bogus-flag", "-c", "1"], "unrecognized arguments"),
])
def test_usage_errors_exit_2(args, message):
    """Bad arguments, unknown worlds, missing files and unknown codes exit 2 with a one-line reason."""
    p = cli(*args)
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert message in p.stderr


def test_bad_manifest_exits_2(tmp_path: Path):
    """A world directory with a bad world.toml exits 2 with a message, for run and describe."""
    for i, toml in enumerate(("seed = ", "bogus = 1", "[limits]\nfuel = 0", "limits = 5")):
        root = tmp_path / f"w{i}"
        root.mkdir()
        (root / "world.toml").write_text(toml)
        for args in (["run", str(root), "-c", "1"], ["describe", str(root)]):
            p = cli(*args)
            assert p.returncode == 2, (toml, p.stdout, p.stderr)
            assert p.stderr.startswith("worlds: error:"), (toml, p.stderr)


def test_program_file_with_invalid_utf8_exits_2(tmp_path: Path):
    """A program file that is not UTF-8 is a usage error."""
    prog = tmp_path / "bad.js"
    prog.write_bytes(b"\xff\xfe console.log(1)")
    p = cli("run", str(prog))
    assert p.returncode == 2
    assert "cannot read" in p.stderr


def test_program_file_is_a_directory_exits_2(tmp_path: Path):
    """Giving a directory as FILE is a usage error."""
    p = cli("run", str(tmp_path))
    assert p.returncode == 2


def test_value_with_lone_surrogate_does_not_traceback():
    """A program whose value holds a lone surrogate still gets a normal exit (0), no traceback."""
    p = cli("run", "-c", "'\\ud800'")
    assert p.returncode == 0


def test_wrong_engine_is_a_clean_error(tmp_path: Path):
    """A swapped engine file makes the CLI exit 2 with an sha256 message, no traceback."""
    fake = tmp_path / "fake.wasm"
    fake.write_bytes(b"not the engine")
    p = cli("run", "-c", "1", env={"WORLDS_QJS_WASM": str(fake), "WORLDS_CACHE_DIR": str(tmp_path / "c")})
    assert p.returncode == 2
    assert "sha256" in p.stderr


def test_sql_runs_from_a_file_by_its_extension(world_dir: Path, tmp_path: Path) -> None:
    query = tmp_path / "total.sql"
    query.write_text("SELECT COUNT(*) AS n, SUM(amount) AS total FROM orders;\n")
    proc = cli("run", str(world_dir), str(query))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("n | total\n--+------\n2 |    42\n(1 row)")
    as_json = json.loads(cli("run", str(world_dir), str(query), "--json").stdout)
    assert as_json["table"] == {"columns": ["n", "total"], "rows": [[2, 42]], "row_count": 1}
    assert as_json["value"] == [{"n": 2, "total": 42}]


def test_sql_failures_exit_1_with_a_diagnostic(world_dir: Path) -> None:
    proc = cli("run", str(world_dir), "--lang", "sql", "-c", "SELECT amout FROM orders")
    assert proc.returncode == 1
    assert "error[SQL2005]" in proc.stdout and "did you mean `amount`?" in proc.stdout
    checked = cli("check", str(world_dir), "--lang", "sql", "-c", "SELECT amout FROM orders")
    assert checked.returncode == 1 and "SQL2005" in checked.stdout


def test_describe_for_sql_shows_tables(world_dir: Path) -> None:
    proc = cli("describe", str(world_dir), "--lang", "sql")
    assert proc.returncode == 0
    assert "CREATE TABLE orders (" in proc.stdout and "amount INTEGER" in proc.stdout
    assert "API (TypeScript" not in proc.stdout


def test_progress_shows_on_a_terminal_only_for_slow_work(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import time

    from worlds import progress as p

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(p, "QUIET_S", 0.05)
    shown, piped, quick = Terminal(), io.StringIO(), Terminal()
    for stream, wait in ((shown, 0.4), (piped, 0.4), (quick, 0.0)):
        with p.progress("loading tables", stream):
            time.sleep(wait)
    assert "loading tables" in shown.getvalue()
    assert piped.getvalue() == "" and quick.getvalue() == ""
