"""Proxy event translation as pure functions, and the managed-Python-runtime entry point."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.aws.conftest import HANDLER, event
from zigttp.aws import python_handler
from zigttp.aws.events import InvalidEvent, encode_body, parse_event
from zigttp.runtime.api import Response


@pytest.mark.parametrize(
    ("content_type", "body", "encoded"),
    [
        ("image/svg+xml", b"<svg/>", False),
        ("application/problem+json", b"{}", False),
        ("text/html; charset=utf-8", "é".encode(), False),
        ("application/octet-stream", b"abc", True),
        ("text/plain", b"\xff\xfe", True),  # claims text but is not UTF-8
        (None, b"plain", False),
    ],
)
def test_body_encoding_follows_content_type(content_type: str | None, body: bytes, encoded: bool) -> None:
    headers = [("content-type", content_type)] if content_type else []
    assert encode_body(Response(200, headers, body))[1] is encoded


def test_v1_without_multi_value_maps_uses_the_single_ones() -> None:
    request = parse_event(
        {
            "httpMethod": "PUT",
            "path": "/a b",
            "headers": {"X-A": "1"},
            "queryStringParameters": {"q": "x y"},
            "body": None,
        }
    )
    assert (request.method, request.url, request.headers, request.body) == (
        "PUT",
        "/a b?q=x%20y",
        [("X-A", "1")],
        None,
    )


def test_invalid_base64_body_is_an_invalid_event() -> None:
    with pytest.raises(InvalidEvent, match="base64"):
        parse_event(event("apigw-http-v2", body="***", isBase64Encoded=True))


def test_managed_python_runtime_handler(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZIGTTP_HANDLER", str(HANDLER))
    monkeypatch.setattr(python_handler, "_runtime", None)
    try:
        result = python_handler.handler(event("function-url"), SimpleNamespace(aws_request_id="req-1"))
        assert result["statusCode"] == 201
        with pytest.raises(python_handler.HandlerFailed, match="lambda boom"):
            python_handler.handler(event("function-url", rawPath="/throw"), None)
    finally:
        if python_handler._runtime is not None:
            python_handler._runtime.close()
        monkeypatch.setattr(python_handler, "_runtime", None)
