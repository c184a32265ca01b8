"""Resource limits of a run: every one ends in a diagnostic, never a hang.

The defaults scale with the size of a world's inputs (:meth:`Limits.for_inputs`):
a world of a few kilobytes gets the base budgets, a world holding a 40 MB
export gets budgets that fit a few passes over it. Values set explicitly (in
``world.toml``, ``World(limits=...)`` or per run) are used as given.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

MIB = 1 << 20
#: What each MiB of input beyond the first adds to a default budget (memory: see for_inputs). Measured on
#: 1M-row files (36 MiB; bench/perf/scale.py): a grouped SQL query takes ~20 SQLite
#: steps a row, readCSV ~40k instructions a row and an agent's checks over every
#: row 40-60G in all. SQLite runs 10-20M steps a second, so the wall-clock limit
#: grows faster than the steps: the deterministic budget should stop a query first.
PER_MIB = {"fuel": 5_000_000_000, "steps": 10_000_000, "wall_ms": 2_000, "memory_bytes": 16 * MIB}
#: Guest memory never scales past this (the sandbox's own ceiling).
MEMORY_CEILING = 1 << 30


class Limits(BaseModel):
    """What one run may use. Defaults suit an agent loop: generous for real
    work, short enough that a runaway program answers fast.

    ``fuel`` is the deterministic budget of JavaScript: the same program always
    stops at the same Wasm instruction. ``steps`` is SQL's: SQLite virtual
    machine steps, counted by the engine itself. ``wall_ms`` is a safety net
    against slow host machines and work neither budget counts. Call depth is
    bounded by the engine's native stack (2 MiB, about 2,500 nested JS calls).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    # About a second of interpreted JavaScript on a 2024 laptop core.
    fuel: int = Field(default=10_000_000_000, gt=0, description="wasm instructions (wasmtime fuel)")
    # About five seconds of SQLite work: a grouped query over 1M rows takes 20M.
    steps: int = Field(default=100_000_000, gt=0, description="SQLite VM steps of a SQL or PRQL run")
    wall_ms: int = Field(default=10_000, gt=0, description="wall-clock deadline in milliseconds")
    memory_bytes: int = Field(default=256 << 20, ge=16 << 20, le=MEMORY_CEILING,
                              description="guest linear memory cap (at most 1 GiB)")
    output_bytes: int = Field(default=1 << 20, gt=0, description="stdout plus stderr cap")
    write_bytes: int = Field(default=16 << 20, gt=0, description="total bytes written to files")
    # Host functions (World(functions=...)): how many calls, how big, how long each may take.
    host_calls: int = Field(default=1_000, gt=0, description="host function calls per run")
    host_bytes: int = Field(default=1 << 20, gt=0, description="bytes of a call's arguments, or its result")
    host_call_ms: int = Field(default=10_000, gt=0, description="wall time one host call may take")

    @classmethod
    def for_inputs(cls, input_bytes: int) -> Limits:
        """The default limits for a world whose input files hold ``input_bytes`` in all."""
        extra = max(0, input_bytes - 1) // MIB  # whole MiB beyond the first: small worlds get the base
        if not extra:
            return cls()
        base = cls()
        scaled = {name: getattr(base, name) + per * extra for name, per in PER_MIB.items()}
        # Memory is what the data takes once parsed, not work on top of a base: it grows
        # only once the base is too small, so mid-sized worlds share the pool's started
        # SQL guests (which have the default memory limit).
        need = PER_MIB["memory_bytes"] * (extra + 1)
        scaled["memory_bytes"] = min(max(base.memory_bytes, need), MEMORY_CEILING)
        return cls(**scaled)

    def merged(self, overrides: dict[str, Any] | Limits | None) -> Limits:
        """These limits with ``overrides`` (a mapping or another Limits) applied."""
        if overrides is None:
            return self
        if isinstance(overrides, Limits):
            overrides = overrides.model_dump(exclude_unset=True)
        return self.model_validate({**self.model_dump(), **overrides})


def scaling_rule() -> str:
    """How the defaults grow with the inputs, in one line for the world card."""
    base = Limits()
    parts = [f"{name} {getattr(base, name):,} + {per:,}" for name, per in PER_MIB.items()
             if name != "memory_bytes"]
    per = PER_MIB["memory_bytes"] // MIB
    parts.append(f"memory {per} MiB a MiB once over {base.memory_bytes // MIB} MiB "
                 f"(at most {MEMORY_CEILING // MIB} MiB)")
    return "defaults grow per MiB of input beyond the first: " + "; ".join(parts)
