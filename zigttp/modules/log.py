"""`zigttp:log`: structured logging, one NDJSON line per call on stderr.

Each line is `{"timestamp": ISO-8601 UTC, "level": "debug|info|warn|error", "message": ...,
"context": {...}}` (`context` only when given). A line is written with a single `write` under
a process-wide lock, so lines from concurrent runtimes never interleave. Logging is never
stubbed in fixtures (not traceable), so handlers under test still log.

Inside a server, `ctx.options["log_sink"]` (`ServerLog.module_log`) takes the call instead, so
the line shares the server's stream and `--log-format`, tagged with the request id.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from zigttp.modules._result import want_dict, want_str
from zigttp.modules._spec import ModuleContext, ModuleSpec

LEVELS = {"logDebug": "debug", "logInfo": "info", "logWarn": "warn", "logError": "error"}
_write_lock = threading.Lock()


def iso_timestamp(seconds: float) -> str:
    moment = datetime.fromtimestamp(seconds, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def make_logger(
    fn: str, level: str, clock: Callable[[], float], sink: Callable[..., None] | None = None
) -> Callable[..., None]:
    def log(message: Any, context: Any = None) -> None:
        if sink is not None:
            text = want_str(fn, "message", message)
            sink(level, text, want_dict(fn, "context", context) if context is not None else None)
            return
        record: dict[str, Any] = {
            "timestamp": iso_timestamp(clock()),
            "level": level,
            "message": want_str(fn, "message", message),
        }
        if context is not None:
            record["context"] = want_dict(fn, "context", context)
        line = json.dumps(record, ensure_ascii=False, default=str) + "\n"
        with _write_lock:
            sys.stderr.write(line)
            sys.stderr.flush()

    return log


def create(ctx: ModuleContext) -> dict[str, Any]:
    sink = ctx.options.get("log_sink")
    return {fn: make_logger(fn, level, ctx.clock, sink) for fn, level in LEVELS.items()}


MODULE = ModuleSpec(name="log", exports=tuple(LEVELS), create=create)
