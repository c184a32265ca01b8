"""`make demo`: one world; a working and a failing program in JS, then in SQL."""

from __future__ import annotations

from . import catalog

PROGRAM = """\
const rows = fs.readFileSync('sales.csv', 'utf8').trim().split('\\n').slice(1)
  .map((line) => line.split(','))
  .map(([id, date, region, product, units, price]) => ({ region, revenue: units * price }));

const byRegion = {};
for (const { region, revenue } of rows) byRegion[region] = (byRegion[region] ?? 0) + revenue;

fs.mkdirSync('out', { recursive: true });
fs.writeFileSync('out/revenue.json', JSON.stringify(byRegion, null, 2));
console.table(byRegion);
Object.keys(byRegion).length
"""

BROKEN = """\
const orders = JSON.parse(fs.readFileSync('sales.csv', 'utf8'));
console.log(orders.length);
"""

QUERY = """\
SELECT region, ROUND(SUM(units * unit_price), 2) AS revenue
FROM sales
WHERE date >= date_trunc('month', DATE '2024-03-15')
GROUP BY ALL
ORDER BY revenue DESC
"""

BROKEN_QUERY = """\
SELECT regon, SUM(units) AS units
FROM sales
GROUP BY regon
"""


def main() -> None:
    world = catalog.load("sales")
    print(world.describe(lang="js"))
    for title, code in (("a program that works", PROGRAM), ("a program that fails", BROKEN)):
        print(f"\n=== {title} ===\n{code}\n--- result ---")
        result = world.run(code)
        print(result)
        if result.files:
            print("\nout/revenue.json:\n" + result.files["out/revenue.json"].decode())
    print("\n" + "\n".join(world.describe(lang="sql").split("\n\n", 1)[1:]))
    for title, code in (("a query in DuckDB's spelling", QUERY), ("a query with a typo", BROKEN_QUERY)):
        print(f"\n=== {title} ===\n{code}\n--- result ---")
        print(world.run(code, lang="sql"))


if __name__ == "__main__":
    main()
