"""Stdlib conveniences without their modules' import, for the cold start's path.

Why: a cold start's first answer matches no regular expression and suppresses a few OSErrors,
yet `import re` brings `enum` and the regex compiler (~2 ms), `import json` brings `re`, and
`import contextlib` costs ~4.6 M instructions (~1.2 ms) (bench/README.md, session 5). So:

* `Pattern(...)` reads like `re.compile(...)` and compiles at its first `.match`/`.search`/
  `.sub`/...; from then on the compiled pattern's method is an attribute of the object, so a
  hot path pays nothing more;
* `suppress(*exceptions)` is `contextlib.suppress`: the `with` block's exception, if it is
  one of those, ends the block silently;
* `json_loads(data)` is `json.loads` of one UTF-8 document, through the C scanner json itself
  uses (`_json.make_scanner`), without importing `json.decoder` and its `re` (an artifact's
  start reads its manifest and payload: ~25 M instructions less). A malformed document raises
  ValueError as json.loads does; `json_dumps(value, ensure_ascii=...)` is `json.dumps` with
  its defaults, through json's C encoder (`_json.make_encoder`);
* `cache` and `cached_property` are functools' (a function's results by its arguments; an
  attribute computed at its first read), and `wraps(fn)` copies what `functools.wraps` copies:
  `import functools` brings collections (~10 M instructions; its threads: lean_threads.py).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from types import TracebackType

_JSON_SPACE = " \t\n\r"


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


def cache(fn: Callable[..., object]) -> Callable[..., object]:
    """`functools.cache`: `fn`'s result per (hashable) positional arguments, computed once."""
    results: dict[tuple[object, ...], object] = {}

    def cached(*args: object) -> object:
        try:
            return results[args]
        except KeyError:
            value = results[args] = fn(*args)
            return value

    cached.cache_clear = results.clear  # type: ignore[attr-defined]
    return wraps(fn)(cached)


class cached_property:
    """`functools.cached_property`: computed at the first read, then an instance attribute."""

    def __init__(self, fn: Callable[[object], object]) -> None:
        self.fn = fn
        self.name = fn.__name__
        self.__doc__ = fn.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: object, owner: type | None = None) -> object:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.fn(instance)
        return value


def wraps(fn: Callable[..., object]) -> Callable[[Callable[..., object]], Callable[..., object]]:
    """`functools.wraps(fn)`: the wrapper takes `fn`'s name, doc, module and `__wrapped__`."""

    def update(wrapper: Callable[..., object]) -> Callable[..., object]:
        for name in ("__module__", "__name__", "__qualname__", "__doc__", "__annotations__"):
            if hasattr(fn, name):
                setattr(wrapper, name, getattr(fn, name))
        wrapper.__dict__.update(getattr(fn, "__dict__", {}))
        wrapper.__wrapped__ = fn  # type: ignore[attr-defined]
        return wrapper

    return update


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


class _JsonOptions:
    """What `json.JSONDecoder()` hands the C scanner by default."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = float  # NaN, Infinity, -Infinity


def json_loads(data: bytes | str) -> object:
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    scan = _json_scanner()
    start = len(text) - len(text.lstrip(_JSON_SPACE))
    try:
        value, end = scan(text, start)
    except StopIteration as stop:
        raise ValueError(f"Expecting value: char {stop.value}") from None
    if text[end:].strip(_JSON_SPACE):
        raise ValueError(f"Extra data: char {end}")
    return value


def json_dumps(value: object, ensure_ascii: bool = True) -> str:
    from _json import encode_basestring, encode_basestring_ascii, make_encoder

    quote = encode_basestring_ascii if ensure_ascii else encode_basestring
    if isinstance(value, str):  # (what JSONEncoder.encode does for a lone string)
        return quote(value)
    encode = make_encoder({}, _not_serializable, quote, None, ": ", ", ", False, False, True)
    return "".join(encode(value, 0))


def _not_serializable(value: object) -> object:
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def _json_scanner() -> Callable[[str, int], tuple[object, int]]:
    try:
        from _json import make_scanner
    except ImportError:  # pragma: no cover  (an interpreter without the C accelerator)
        from json.scanner import make_scanner  # type: ignore[assignment]
    return make_scanner(_JsonOptions)
