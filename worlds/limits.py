"""Resource limits of a run: every one ends in a diagnostic, never a hang."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Limits(BaseModel):
    """What one run may use. Defaults suit an agent loop: generous for real
    work on small worlds, short enough that a runaway program answers fast.

    ``fuel`` is the deterministic budget: the same program always stops at the
    same instruction. ``wall_ms`` is a safety net against slow host machines.
    Call depth is bounded by the engine's native stack (2 MiB, about 2,500
    nested JS calls), the same for every run since wasmtime sets it per engine.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    # About a second of interpreted JavaScript on a 2024 laptop core.
    fuel: int = Field(default=10_000_000_000, gt=0, description="wasm instructions (wasmtime fuel)")
    wall_ms: int = Field(default=10_000, gt=0, description="wall-clock deadline in milliseconds")
    memory_bytes: int = Field(default=256 << 20, ge=16 << 20, le=1 << 30,
                              description="guest linear memory cap (at most 1 GiB)")
    output_bytes: int = Field(default=1 << 20, gt=0, description="stdout plus stderr cap")
    write_bytes: int = Field(default=16 << 20, gt=0, description="total bytes written to files")

    def merged(self, overrides: dict[str, Any] | Limits | None) -> Limits:
        """These limits with ``overrides`` (a mapping or another Limits) applied."""
        if overrides is None:
            return self
        if isinstance(overrides, Limits):
            overrides = overrides.model_dump(exclude_unset=True)
        return self.model_validate({**self.model_dump(), **overrides})
