"""The diagnostic for a guest that a limit (or a trap) stopped, in any language."""

from __future__ import annotations

from ..diagnostics import Diagnostic, codes
from ..limits import Limits
from ..sandbox import guest as g

STOPS = {
    g.STOP_FUEL: (codes.FUEL, "the program used its whole instruction budget ({fuel:,} fuel)",
                  "look for a loop that never ends; the budget is `limits.fuel`"),
    g.STOP_DEADLINE: (codes.DEADLINE, "the program ran past the {wall_ms:,} ms deadline",
                      "bound the work; the deadline is `limits.wall_ms`"),
    g.STOP_MEMORY: (codes.MEMORY, "the program ran out of memory ({memory_bytes:,} bytes allowed)",
                    "build smaller structures or stream over the data; the cap is `limits.memory_bytes`"),
    g.STOP_OUTPUT: (codes.OUTPUT, "the program printed more than {output_bytes:,} bytes; output was cut",
                    "print a summary instead of every item; the cap is `limits.output_bytes`"),
    g.STOP_WRITE: (codes.WRITES, "the program wrote more than {write_bytes:,} bytes into files",
                   "write less; nothing this run wrote was kept; the cap is `limits.write_bytes`"),
    g.STOP_STACK: (codes.STACK, "the call stack overflowed (more than about 2,500 nested calls)",
                   "add a base case to the recursion, or use a loop"),
    g.STOP_TRAP: (codes.TRAP, "the engine stopped: {detail}", "this is a bug in worlds; report it"),
}


def stopped(stop: str | None, detail: str, limits: Limits) -> Diagnostic:
    """Why the guest stopped, with the limit that stopped it and what to do."""
    code, message, help_text = STOPS.get(stop or g.STOP_TRAP, STOPS[g.STOP_TRAP])
    facts = {**limits.model_dump(), "detail": detail.splitlines()[0] if detail else ""}
    return Diagnostic(code=code, message=message.format(**facts), help=[help_text])
