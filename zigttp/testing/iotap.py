"""IoTaps for fixtures and traces: stub module calls from `io` rows, or record real ones.

Both plug into the bridge's per-slot hook (`LoadedHandler.taps[slot]`, see runtime.bridge).
Only *traceable* exports are stubbed or recorded (upstream-reference §2.2): registration-style
exports such as `routerMatch`, `sql`, `schemaCompile` and the `log*` functions always run for
real, so a recorded trace replays through the same calls.

Stub rules (upstream semantics, plus reporting): each traceable call consumes the next `io` row
in file order (`seq` is informational). A *pure* export (`ModuleSpec.pure`: validate, decode,
text, url, ...) runs for real when the next row is not for it, as upstream. A row whose
module/fn differ still answers the call but
is a divergence; a call with no row left answers `undefined` and is a divergence; rows left over
at the end are divergences too. Divergences are warnings unless `--strict-io` makes them fail.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from zigttp.testing.fixtures import IoRow

ARG_PREVIEW = 80


def traceable_exports(exports: Iterable[Any]) -> frozenset[tuple[str, str]]:
    """(module, fn) pairs the bridge marks traceable."""
    return frozenset((e.module, e.name) for e in exports if e.traceable)


def pure_exports(exports: Iterable[Any]) -> frozenset[tuple[str, str]]:
    """(module, fn) pairs that may run for real when no `io` row answers them."""
    return frozenset((e.module, e.name) for e in exports if getattr(e, "pure", False))


def describe_call(module: str, fn: str, args: list[Any]) -> str:
    text = json.dumps(args, ensure_ascii=False)[1:-1]
    if len(text) > ARG_PREVIEW:
        text = text[:ARG_PREVIEW] + "..."
    return f"{module}.{fn}({text})"


class StubTap:
    """Answers traceable calls from a test's `io` rows; records every divergence."""

    def __init__(
        self,
        rows: list[IoRow],
        traceable: frozenset[tuple[str, str]],
        pure: frozenset[tuple[str, str]] = frozenset(),
    ) -> None:
        self.rows = rows
        self.traceable = traceable
        self.pure = pure
        self.position = 0
        self.divergences: list[str] = []

    def call(self, module: str, fn: str, args: list[Any], real: Callable[[], Any]) -> Any:
        if (module, fn) not in self.traceable:
            return real()
        if (module, fn) in self.pure and not self._next_row_is(module, fn):
            return real()  # a pure call nobody recorded: its real answer is the right one
        if self.position >= len(self.rows):
            self.divergences.append(
                f"call #{self.position + 1} {describe_call(module, fn, args)} has no io row "
                "(returned undefined)"
            )
            self.position += 1
            return None
        row = self.rows[self.position]
        self.position += 1
        if (row.module, row.fn) != (module, fn):
            self.divergences.append(
                f"call #{self.position} {describe_call(module, fn, args)} does not match io row "
                f"at line {row.line} ({row.module}.{row.fn}); its result was used"
            )
        return row.result

    def _next_row_is(self, module: str, fn: str) -> bool:
        if self.position >= len(self.rows):
            return False
        row = self.rows[self.position]
        return (row.module, row.fn) == (module, fn)

    def finish(self) -> list[str]:
        """Divergences, including io rows the handler never consumed."""
        for row in self.rows[self.position :]:
            self.divergences.append(f"io row at line {row.line} ({row.module}.{row.fn}) was not used")
        self.position = max(self.position, len(self.rows))
        return self.divergences


@dataclass(frozen=True)
class RecordedCall:
    module: str
    fn: str
    args: list[Any]
    result: Any


class RecordingTap:
    """Runs traceable calls for real and remembers (module, fn, args, result), per slot thread.

    Calls made while a runtime is built (handler top-level code) are kept apart as `load_calls`:
    a replay builds a fresh runtime per test, which makes those calls again before the request.
    """

    def __init__(self, traceable: frozenset[tuple[str, str]]) -> None:
        self.traceable = traceable
        self.load_calls: list[RecordedCall] = []
        self.calls: list[RecordedCall] = self.load_calls
        self._lock = threading.Lock()

    def call(self, module: str, fn: str, args: list[Any], real: Callable[[], Any]) -> Any:
        if (module, fn) not in self.traceable:
            return real()
        result = real()
        with self._lock:
            self.calls.append(RecordedCall(module, fn, list(args), _json_copy(result)))
        return result

    def begin_request(self) -> None:
        with self._lock:
            self.calls = []

    def take(self) -> list[RecordedCall]:
        with self._lock:
            taken, self.calls = self.calls, []
            return [*self.load_calls, *taken]


def _json_copy(value: Any) -> Any:
    """Results are JSON values; copy them so later mutation cannot change the record."""
    try:
        return json.loads(json.dumps(value))
    except (TypeError, ValueError):
        return None
