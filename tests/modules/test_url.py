"""zigttp:url: WHATWG-shaped parsing, query decoding, percent-coding."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from zigttp.modules import ModuleTypeError


@pytest.fixture
def url(load: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return load("url")


def test_parse_absolute_url(url: dict[str, Any]) -> None:
    parsed = url["urlParse"]("https://user:pw@Example.com:8443/a/b?x=1&y=two+words#frag")
    assert parsed == {
        "href": "https://user:pw@Example.com:8443/a/b?x=1&y=two+words#frag",
        "protocol": "https:",
        "username": "user",
        "password": "pw",
        "host": "example.com:8443",
        "hostname": "example.com",
        "port": "8443",
        "pathname": "/a/b",
        "search": "?x=1&y=two+words",
        "hash": "#frag",
        "origin": "https://example.com:8443",
        "query": {"x": "1", "y": "two words"},
    }


def test_parse_path_only_request_url(url: dict[str, Any]) -> None:
    parsed = url["urlParse"]("/items?id=7")
    assert (parsed["pathname"], parsed["search"], parsed["host"]) == ("/items", "?id=7", "")
    assert parsed["query"] == {"id": "7"}


@pytest.mark.parametrize("bad", ["http://host:notaport/", "http://exa mple.com/"])
def test_parse_invalid_is_undefined(url: dict[str, Any], bad: str) -> None:
    assert url["urlParse"](bad) is None


def test_search_params_last_value_wins_and_plus_is_space(url: dict[str, Any]) -> None:
    assert url["urlSearchParams"]("?a=1&a=2&b=x+y&c=%C3%A9&d") == {
        "a": "2",
        "b": "x y",
        "c": "é",
        "d": "",
    }


def test_encode_matches_encode_uri_component(url: dict[str, Any]) -> None:
    assert url["urlEncode"]("a b&c=d/é!*'()~") == "a%20b%26c%3Dd%2F%C3%A9!*'()~"


def test_decode_round_trips(url: dict[str, Any]) -> None:
    assert url["urlDecode"]("a%20b%26c%3Dd%2F%C3%A9") == "a b&c=d/é"
    assert url["urlDecode"]("a+b") == "a+b"


def test_decode_invalid_utf8_raises(url: dict[str, Any]) -> None:
    with pytest.raises(ModuleTypeError, match="urlDecode: argument 'text'"):
        url["urlDecode"]("%FF")
