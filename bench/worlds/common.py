"""What the world generators share: people's names and the world.toml they write."""

from __future__ import annotations

from pathlib import Path

FIRST = [
    "Aaron", "Abigail", "Adam", "Aisha", "Alejandro", "Alice", "Amara", "Amir", "Ana", "Andrei",
    "Anna", "Arjun", "Beatriz", "Ben", "Bianca", "Carlos", "Caroline", "Chen", "Chloe", "Daniel",
    "David", "Diego", "Elena", "Elif", "Emma", "Erik", "Fatima", "Felix", "Freya", "Gabriel",
    "Grace", "Hana", "Hannah", "Hugo", "Ines", "Ivan", "Jack", "Jana", "Javier", "Jin",
    "Julia", "Kai", "Karim", "Kenji", "Laura", "Leila", "Leo", "Lina", "Lucas", "Lucia",
    "Maya", "Mateo", "Mei", "Mia", "Mohammed", "Nadia", "Noah", "Nora", "Olga", "Omar",
    "Oscar", "Priya", "Rafael", "Rosa", "Ryan", "Sara", "Sofia", "Stefan", "Tariq", "Theo",
    "Tomas", "Valentina", "Victor", "Yara", "Yusuf", "Zoe",
]
LAST = [
    "Abbott", "Adeyemi", "Almeida", "Andersen", "Bauer", "Becker", "Bianchi", "Brennan", "Castro",
    "Chen", "Costa", "Dubois", "Eriksson", "Fischer", "Garcia", "Gomez", "Hansen", "Haddad",
    "Ito", "Jansen", "Kaur", "Kim", "Kowalski", "Laurent", "Lee", "Lopez", "Martin", "Meyer",
    "Moreau", "Murphy", "Nakamura", "Nguyen", "Novak", "Okafor", "Olsen", "Patel", "Petrov",
    "Quinn", "Rossi", "Santos", "Schmidt", "Silva", "Singh", "Sousa", "Tanaka", "Torres",
    "Van Dijk", "Wagner", "Walsh", "Weber", "Wong", "Yilmaz", "Zhang",
]


def write_toml(path: Path, name: str, description: str, now: str, seed: int) -> None:
    path.write_text(f'name = "{name}"\ndescription = "{description}"\nnow = "{now}"\nseed = {seed}\n',
                    encoding="utf-8")
