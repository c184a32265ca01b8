"""`make demo`: one world, one working program, one failing program."""

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


def main() -> None:
    world = catalog.load("sales")
    print(world.describe())
    for title, code in (("a program that works", PROGRAM), ("a program that fails", BROKEN)):
        print(f"\n=== {title} ===\n{code}\n--- result ---")
        result = world.run(code)
        print(result)
        if result.files:
            print("\nout/revenue.json:\n" + result.files["out/revenue.json"].decode())


if __name__ == "__main__":
    main()
