"""The zigttp exception hierarchy.

Every failure a user can cause is one of these classes. Leaves carry what the edge needs:
`exit_code` for the CLI, `status` for the HTTP server. Mapping to exit codes and statuses
happens once, in `cli.main` and `server.dispatch`; nothing else turns errors into numbers.
"""

from __future__ import annotations

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:
    from zigttp.diagnostics import Diagnostic


class ZigttpError(Exception):
    """Base of every error zigttp raises on purpose."""

    exit_code = 1


class UsageError(ZigttpError):
    """A bad flag, size or path on the command line (exit 2, message says what is accepted)."""

    exit_code = 2


class SourceError(ZigttpError):
    """Handler source that cannot load: carries diagnostics with file:line:col and a hint."""

    exit_code = 1

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.headline() for d in diagnostics))


class HandlerLoadError(ZigttpError):
    """The handler file is missing, or its top level failed when a runtime evaluated it."""

    exit_code = 1


class FixtureError(ZigttpError):
    """An invalid test fixture line (exit 2)."""

    exit_code = 2


class BuildError(ZigttpError):
    """`zigttp build` failed, or an artifact is corrupt or tampered with."""

    exit_code = 1


class ProtocolError(ZigttpError):
    """A request the HTTP layer refuses; the connection is closed after the response."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(message)


class HandlerError(ZigttpError):
    """Anything that went wrong running the handler for one request: always a 500.

    The worker keeps serving; `replace_context` says whether the context that ran the request
    must be discarded (engine faults leave it in an unknown state).
    """

    status = 500
    replace_context = False

    def __init__(self, message: str = "Internal Server Error") -> None:
        super().__init__(message)

    @property
    def body(self) -> str:
        return str(self)


class HandlerException(HandlerError):
    """The JS handler threw; the response body is the exception's message."""


class InvalidHandler(HandlerError):
    """No `handler` is defined, or it is not callable."""


class InvalidHandlerResult(HandlerError):
    """The handler returned something that is not a Response (or a malformed one)."""


class MemoryLimitExceeded(HandlerError):
    """The runtime hit its `-m` memory ceiling; the context is replaced."""

    replace_context = True


class StackOverflow(HandlerError):
    """The native JS stack budget was exhausted."""

    replace_context = True


class CallStackOverflow(HandlerError):
    """JS call depth went beyond the documented 1,024 frames."""


class TimeLimitExceeded(HandlerError):
    """The per-request CPU-time budget (`--timeout`) ran out; the context is replaced."""

    replace_context = True


class InlineBoundExceeded(TimeLimitExceeded):
    """An inline run (on the event-loop thread, see runtime.lanes) outlasted the lane's bound.

    `retry` says whether the request may run again on the pool threads: only when the
    interrupted run called no module with effects. Otherwise it is answered as a 500."""

    def __init__(self, message: str, *, retry: bool) -> None:
        super().__init__(message)
        self.retry = retry


class ResponseTooLarge(HandlerError):
    """The handler's response body is over the response cap."""


class PoolExhausted(HandlerError):
    """No runtime became free within `pool_wait_timeout_ms`: 503 with Retry-After."""

    status = 503


class SyntaxDiagnosticError(SourceError):
    """The file does not parse."""


class TypeStripError(SourceError):
    """TypeScript that cannot be stripped faithfully (decorators, parameter properties...)."""


class JSXError(SourceError):
    """Malformed JSX."""


class ComptimeError(SourceError):
    """A comptime() expression outside the allowed subset."""


class AnalyzerError(SourceError):
    """Subset rules (`var`, `with`, ...) violated."""


class ModuleResolutionError(SourceError):
    """An import that cannot be resolved (unknown module/export, missing file, cycle)."""


_FAMILIES: dict[str, type[SourceError]] = {
    "ZT0": SyntaxDiagnosticError,
    "ZT1": AnalyzerError,
    "ZT2": AnalyzerError,
    "ZT3": AnalyzerError,
    "ZT4": ComptimeError,
    "ZT5": ModuleResolutionError,
    "ZT6": JSXError,
}
_TYPESCRIPT_CODES = frozenset({"ZT010", "ZT011", "ZT012", "ZT013", "ZT014"})


def source_error(diagnostics: list[Diagnostic]) -> SourceError:
    """The SourceError subclass matching the first error's code family (ZT0xx syntax, ...)."""
    code = diagnostics[0].code if diagnostics else ""
    if code == "ZT002":  # the file could not be read at all
        return SourceError(diagnostics)
    if code in _TYPESCRIPT_CODES:
        return TypeStripError(diagnostics)
    return _FAMILIES.get(code[:3], SourceError)(diagnostics)
