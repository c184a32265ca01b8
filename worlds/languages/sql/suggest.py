"""Nearest names: what a misspelt table, column, function or keyword probably meant."""

from __future__ import annotations

from collections.abc import Iterable

from ..._text import distance as text_distance


def distance(a: str, b: str) -> int:
    """Edit distance with transpositions (``untis`` is one step from ``units``), case-folded."""
    return text_distance(a.lower(), b.lower())


def nearest(name: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """The candidates close to ``name``, best first; a candidate containing it counts as close."""
    lower = name.lower()
    scored: list[tuple[int, str]] = []
    for cand in dict.fromkeys(candidates):
        folded = cand.lower()
        if folded == lower:
            scored.append((0, cand))
            continue
        if folded.endswith("_" + lower) or folded.startswith(lower + "_"):
            scored.append((6, cand))  # `id` for `order_id`
            continue
        if abs(len(cand) - len(name)) > max(3, len(name) // 2):
            if _shared_word(lower, folded):
                scored.append((6, cand))
            continue
        dist = distance(lower, folded)
        if dist <= max(1, min(3, len(name) // 3)):
            scored.append((dist, cand))
        elif len(lower) >= 3 and (folded.startswith(lower) or lower.startswith(folded)) and len(folded) >= 3:
            scored.append((4, cand))  # `unit` for `units`, `price` for `unit_price`: a prefix
        elif len(lower) >= 4 and (lower in folded or folded in lower) and len(folded) >= 4:
            scored.append((5, cand))
        elif _shared_word(lower, folded):
            scored.append((6, cand))  # `reorder_level` for `reorder_at`
    scored.sort(key=lambda item: item[0])  # stable: equal scores keep the candidates' order
    return [c for _, c in scored[:limit]]


def _shared_word(a: str, b: str) -> bool:
    words = {w for w in a.split("_") if len(w) >= 4}
    return bool(words & {w for w in b.split("_") if len(w) >= 4})


def clear_best(name: str, candidates: list[str]) -> bool:
    """Whether the first of ``candidates`` is a typo of ``name`` and clearly closer than the second.

    Only then is replacing ``name`` safe without review; a prefix or a shared
    word is worth suggesting, not applying.
    """
    if not candidates:
        return False
    best = _score(name, candidates[0])
    if best > max(1, min(3, len(name) // 3)):
        return False
    return len(candidates) == 1 or best < _score(name, candidates[1])


def _score(name: str, cand: str) -> int:
    return 0 if cand.lower() == name.lower() else distance(name, cand)
