"""Regular expressions compiled on first use, so `re` stays off the cold start's path.

Why: `import re` brings `enum` and the regex compiler, ~2 ms of a start whose first answer
matches no pattern (bench/README.md, cold start). A module-level `Pattern(...)` reads like
`re.compile(...)` and compiles at its first `.match`/`.search`/`.sub`/...; from then on the
compiled pattern's method is an attribute of the object, so a hot path pays nothing more.
"""

from __future__ import annotations


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
