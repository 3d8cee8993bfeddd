"""Two stdlib conveniences without their modules' import, for the cold start's path.

Why: a cold start's first answer matches no regular expression and suppresses a few OSErrors,
yet `import re` brings `enum` and the regex compiler (~2 ms) and `import contextlib` ~4.6 M
instructions (~1.2 ms) (bench/README.md, session 5). So:

* `Pattern(...)` reads like `re.compile(...)` and compiles at its first `.match`/`.search`/
  `.sub`/...; from then on the compiled pattern's method is an attribute of the object, so a
  hot path pays nothing more;
* `suppress(*exceptions)` is `contextlib.suppress`: the `with` block's exception, if it is
  one of those, ends the block silently.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import TracebackType


class Pattern:
    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> object:  # (only for what is not set yet)
        if name.startswith("__"):
            raise AttributeError(name)
        import re

        method = getattr(re.compile(*self._source), name)
        setattr(self, name, method)
        return method

    def __repr__(self) -> str:
        return f"Pattern({self._source[0]!r})"


class suppress:
    __slots__ = ("_exceptions",)

    def __init__(self, *exceptions: type[BaseException]) -> None:
        self._exceptions = exceptions

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> bool:
        return kind is not None and issubclass(kind, self._exceptions)
