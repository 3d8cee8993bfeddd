"""The URLPattern global's host side: the `urlpattern` package (the URL Pattern Standard,
over the Rust crate Deno uses). Compiled patterns are cached by their init, so a handler's
top-level `new URLPattern(...)` compiles once per process, not once per runtime or call."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import urlpattern

from zigttp.web import NativeError, native

COMPONENTS = ("protocol", "username", "password", "hostname", "port", "pathname", "search", "hash")


@lru_cache(maxsize=512)
def _compile(key: str) -> urlpattern.URLPattern:
    init, base, ignore_case = json.loads(key)
    options = {"ignoreCase": True} if ignore_case else None
    try:
        if base is not None:
            return (
                urlpattern.URLPattern(init, base, options) if options else urlpattern.URLPattern(init, base)
            )
        return urlpattern.URLPattern(init, options) if options else urlpattern.URLPattern(init)
    except (ValueError, TypeError) as exc:
        raise NativeError("TypeError", f"URLPattern: {exc}") from None


def _pattern(init: Any, base: str | None, ignore_case: bool) -> urlpattern.URLPattern:
    return _compile(json.dumps([init, base, bool(ignore_case)]))


@native("urlpattern.compile")
def compile_pattern(init: Any, base: str | None, ignore_case: bool) -> list[Any]:
    """The pattern's components (COMPONENTS order) and hasRegExpGroups; TypeError if invalid."""
    pattern = _pattern(init, base, ignore_case)
    return [getattr(pattern, name) for name in COMPONENTS] + [pattern.hasRegExpGroups]


@native("urlpattern.exec")
def exec_pattern(init: Any, base: str | None, ignore_case: bool, url: Any, url_base: str | None) -> Any:
    """The match result of `url` (a string or a dict of components), or None."""
    pattern = _pattern(init, base, ignore_case)
    try:
        return pattern.exec(url, url_base) if url_base is not None else pattern.exec(url)
    except (ValueError, TypeError) as exc:
        raise NativeError("TypeError", f"URLPattern: {exc}") from None
