"""Every function the card lists runs in the guest, and every spelling it says is translated is."""

from __future__ import annotations

import re

import pytest

from worlds import World
from worlds.languages.sql.functions import summary

WORLD = World(files={"t.csv": "x,s,d\n1,a,2024-03-05\n2,B,2024-01-31\n3,c,2024-02-29\n"})


def test_every_listed_function_exists_in_the_guest() -> None:
    # A note in brackets (one level of brackets inside it) names no function.
    notes = re.compile(r"\((?:[^()]|\([^()]*\))*\)")
    lines = [line for line in summary()[1:] if not line.lstrip().startswith("translated from")]
    listed = {name.rstrip("+") for line in lines
              for name in re.findall(r"[a-z_0-9]+\+?", notes.sub("", line.split(":", 1)[1]))}
    listed -= {"and", "every", "in", "from", "with", "over", "iso", "text", "now", "is", "the", "world",
               "s", "clock", "follows", "seed", "aggregate", "json_each", "json_tree", "left", "right"}
    listed |= {"worlds_left", "worlds_right"}  # what left() and right() are called as
    value = WORLD.run("SELECT name FROM pragma_function_list", lang="sql").value
    present = {row["name"] for row in value}
    assert listed - present <= {"current_date", "current_time", "current_timestamp"}, listed - present


@pytest.mark.parametrize("query, value", [
    ("SELECT string_agg(s, ',' ORDER BY s DESC) AS v FROM t", "c,a,B"),
    ("SELECT GROUP_CONCAT(s ORDER BY x DESC SEPARATOR '-') AS v FROM t", "c-B-a"),
    ("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS v FROM t", 2.0),
    ("SELECT EXTRACT(year FROM d) AS v FROM t WHERE x = 1", 2024),
    ("SELECT date_part('month', d) AS v FROM t WHERE x = 1", 3),
    ("SELECT CAST(d AS DATE) + INTERVAL '7 days' AS v FROM t WHERE x = 2", "2024-02-07"),
    ("SELECT DATE_ADD(d, INTERVAL 1 DAY) AS v FROM t WHERE x = 3", "2024-03-01"),
    ("SELECT date_trunc('month', d) AS v FROM t WHERE x = 1", "2024-03-01"),
    ("SELECT COUNT(*) AS v FROM t WHERE s ILIKE 'b%'", 1),
    ("SELECT '42'::int + 1 AS v", 43),
    ("SELECT x AS v FROM t QUALIFY row_number() OVER (ORDER BY x DESC) = 1", 3),
    ("SELECT DISTINCT ON (1) 1 AS v FROM t", 1),
    ("SELECT s, COUNT(*) AS v FROM t GROUP BY ALL ORDER BY s LIMIT 1", 1),
    ("SELECT now() AS v", "2024-01-01 00:00:00"),
    ("SELECT median(x) AS v FROM t", 2.0),
    ("SELECT ceil(x / 2.0) AS v FROM t WHERE x = 3", 2.0),
    ("SELECT split_part(d, '-', 2) AS v FROM t WHERE x = 1", "03"),
    ("SELECT TOP 1 DATEADD(month, 1, d) AS v FROM t ORDER BY x DESC", "2024-03-29"),
    ("SELECT DATEDIFF(month, d, '2024-04-01') AS v FROM t WHERE x = 2", 3),
    ("SELECT DATEPART(weekday, d) AS v FROM t WHERE x = 1", 3),
    ("SELECT s + '!' AS v FROM t WHERE x = 1", "a!"),
    ("SELECT CONVERT(VARCHAR(7), d, 120) AS v FROM t WHERE x = 1", "2024-03"),
    ("SELECT GETDATE() AS v", "2024-01-01 00:00:00"),
    ("SELECT NVL(NULL, s) AS v FROM t WHERE ROWNUM <= 1", "a"),
    ("SELECT SYSDATE AS v FROM dual", "2024-01-01 00:00:00"),
    ("SELECT ADD_MONTHS(d, 1) AS v FROM t WHERE x = 3", "2024-03-31"),
    ("SELECT TO_CHAR(TO_DATE(d, 'YYYY-MM-DD'), 'Mon DD') AS v FROM t WHERE x = 2", "Jan 31"),
])
def test_translated_spellings_run(query: str, value: object) -> None:
    result = WORLD.run(query, lang="sql")
    assert result.ok, [d.message for d in result.diagnostics]
    assert list(result.value[0].values())[-1] == value
