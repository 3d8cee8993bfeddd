"""The URL global's host side: WHATWG URL parsing and setters by ada (the `ada-url` package).

ada is the URL parser Node.js ships, passes the WPT URL suite and is ~10x faster than a JS
parser would be in quickjs. JS (web/50-url.js) keeps the components of a parsed URL as a
list in COMPONENTS order and asks again after each setter.
"""

from __future__ import annotations

import contextlib

import ada_url

from zigttp.web import native

COMPONENTS = (
    "href",
    "origin",
    "protocol",
    "username",
    "password",
    "host",
    "hostname",
    "port",
    "pathname",
    "search",
    "hash",
)


def _components(url: ada_url.URL) -> list[str]:
    return [getattr(url, name) for name in COMPONENTS]


@native("url.parse")
def parse(text: str, base: str | None) -> list[str] | None:
    """The components of `text` (against `base`), or None when either does not parse."""
    try:
        return _components(ada_url.URL(text, base) if base is not None else ada_url.URL(text))
    except ValueError:
        return None


@native("url.set")
def set_component(href: str, name: str, value: str) -> list[str]:
    """The components after one setter; an invalid value leaves the URL as it was (WHATWG)."""
    url = ada_url.URL(href)
    with contextlib.suppress(ValueError):
        setattr(url, name, value)
    return _components(url)
