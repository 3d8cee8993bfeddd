"""Per-runtime limits, derived once from ServerConfig.

`timeout` is a CPU-time budget: quickjs-ng measures it with the C `clock()` of the whole
process, so under parallel load it fires earlier in wall time (../shared/style.md, engine
fact 3). We document it as a CPU budget and never promise wall-clock precision.
"""

from __future__ import annotations

from dataclasses import dataclass

from zigttp.config import ServerConfig


@dataclass(frozen=True)
class RuntimeLimits:
    memory: int = 0  # bytes; 0 = no ceiling
    timeout: float = 30.0  # CPU seconds per request
    stack_size: int = 8 * 1024 * 1024  # native stack budget for JS
    max_call_depth: int = 1024

    @classmethod
    def from_config(cls, config: ServerConfig) -> RuntimeLimits:
        return cls(
            memory=config.memory_limit,
            timeout=config.timeout,
            stack_size=config.js_stack_size,
            max_call_depth=config.max_call_depth,
        )
