"""One request on the pool's slot threads, waited for without blocking the loop that started it.

Why: the fast start (`fast_start.py`) has no event loop to await `RuntimePool.run` on, and its
first requests always take the threaded lane (the inline lane opens after `lanes.PROBATION`
fast runs). Waiting for them on the loop thread would let one slow request hold every other
connection; so each runs `Dispatcher.handle_blocking` on a thread of its own and says when it
is done, to the fast loop (its wake-up socket) or, after a hand-over, to the full server
(`handover.AdoptedConnection`, which waits for it in an executor).
"""

from __future__ import annotations

from zigttp.lean_threads import Event, start_daemon

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:
    from collections.abc import Callable

    from zigttp.server.dispatch import Dispatcher, Reply
    from zigttp.server.protocol import Request


class ThreadedCall:
    __slots__ = ("done", "error", "reply")

    def __init__(self, dispatcher: Dispatcher, request: Request, wake: Callable[[], None]) -> None:
        self.done = Event()
        self.reply: Reply | None = None
        self.error: BaseException | None = None  # a bug in zigttp: the connection answers 500

        def run() -> None:
            try:
                self.reply = dispatcher.handle_blocking(request)
            except BaseException as exc:
                self.error = exc
            self.done.set()
            wake()

        start_daemon(run, "zigttp-fast-call")

    def report(self) -> None:
        """Log the bug that failed the call (as `response.report_internal_error` does)."""
        import sys
        import traceback

        sys.stderr.write("zigttp: internal error while answering a request:\n")
        traceback.print_exception(self.error)
