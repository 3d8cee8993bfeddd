"""zigttp:http: cookies, negotiation, content types, CORS headers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from zigttp.modules import ModuleTypeError


@pytest.fixture
def http(load: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return load("http")


def test_parse_cookies(http: dict[str, Any]) -> None:
    header = 'sid=abc123; theme=dark;  empty=; quoted="v"; junk; sid=later'
    assert http["parseCookies"](header) == {
        "sid": "abc123",
        "theme": "dark",
        "empty": "",
        "quoted": "v",
    }
    assert http["parseCookies"](None) == {}


def test_set_cookie_with_all_options(http: dict[str, Any]) -> None:
    cookie = http["setCookie"](
        "sid",
        "abc",
        {
            "path": "/",
            "domain": "example.com",
            "maxAge": 3600.7,
            "expires": 0,
            "httpOnly": True,
            "secure": True,
            "sameSite": "lax",
        },
    )
    assert cookie == (
        "sid=abc; Path=/; Domain=example.com; Max-Age=3600; "
        "Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax"
    )


def test_set_cookie_minimal(http: dict[str, Any]) -> None:
    assert http["setCookie"]("a", "b") == "a=b"


@pytest.mark.parametrize(
    ("name", "value", "opts", "argument"),
    [
        ("bad name", "v", None, "name"),
        ("n", "v; Domain=evil", None, "value"),
        ("n", "v\r\nSet-Cookie: x=1", None, "value"),
        ("n", "v", {"path": "/\r\nX: y"}, "opts.path"),
        ("n", "v", {"sameSite": "sometimes"}, "opts.sameSite"),
    ],
)
def test_set_cookie_refuses_header_injection(
    http: dict[str, Any], name: str, value: str, opts: Any, argument: str
) -> None:
    with pytest.raises(ModuleTypeError, match=f"setCookie: argument '{argument}'"):
        http["setCookie"](name, value, opts)


@pytest.mark.parametrize(
    ("accept", "offered", "chosen"),
    [
        ("application/json", ["text/html", "application/json"], "application/json"),
        ("text/*;q=0.5, application/json", "text/html, application/json", "application/json"),
        ("text/*", ["application/json", "text/plain"], "text/plain"),
        ("*/*", ["text/html"], "text/html"),
        ("image/png", ["text/html"], None),
        ("text/html;q=0", ["text/html"], None),
        (None, ["text/html", "application/json"], "text/html"),
        ("Text/HTML", ["text/html"], "text/html"),
    ],
)
def test_negotiate(http: dict[str, Any], accept: Any, offered: Any, chosen: Any) -> None:
    assert http["negotiate"](accept, offered) == chosen


def test_negotiate_ties_keep_client_order(http: dict[str, Any]) -> None:
    offered = ["application/json", "text/html"]
    assert http["negotiate"]("text/html, application/json", offered) == "text/html"


def test_parse_content_type(http: dict[str, Any]) -> None:
    assert http["parseContentType"]('Application/JSON; Charset="UTF-8"; v=1') == {
        "mediaType": "application/json",
        "type": "application",
        "subtype": "json",
        "charset": "utf-8",
        "params": {"charset": "UTF-8", "v": "1"},
    }


def test_cors_headers(http: dict[str, Any]) -> None:
    headers = http["cors"](
        "https://app.example",
        {"methods": ["GET", "POST"], "headers": "content-type", "maxAge": 600, "credentials": True},
    )
    assert headers == {
        "Access-Control-Allow-Origin": "https://app.example",
        "Access-Control-Allow-Methods": "GET, POST",
        "Access-Control-Allow-Headers": "content-type",
        "Access-Control-Max-Age": "600",
        "Access-Control-Allow-Credentials": "true",
        "Vary": "Origin",
    }


def test_cors_wildcard(http: dict[str, Any]) -> None:
    assert http["cors"]("*") == {"Access-Control-Allow-Origin": "*"}
