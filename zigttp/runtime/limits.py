"""Per-runtime limits, derived once from ServerConfig.

`timeout` is a wall-clock deadline per request (monotonic clock), enforced by the engine's
interrupt handler (native/engine/runtime.c); `memory` is what the handler may allocate above
the runtime's baseline; `max_call_depth` is the engine's frame cap (vendor patch 1).
"""

from __future__ import annotations

from zigttp.config import ServerConfig
from zigttp.records import record


@record(frozen=True)
class RuntimeLimits:
    memory: int = 0  # bytes; 0 = no ceiling
    timeout: float = 30.0  # wall-clock seconds per request
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
