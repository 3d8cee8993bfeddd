"""API Gateway / Function URL proxy events ↔ zigttp requests and responses. No I/O.

Shapes (AWS docs, "Working with AWS Lambda proxy integrations"):
* payload format 2.0 — HTTP API and Lambda Function URLs: `version: "2.0"`, `rawPath`,
  `rawQueryString`, `headers` (lower-case, repeats comma-joined), `cookies`,
  `requestContext.http.method`; result `{statusCode, headers, cookies, body, isBase64Encoded}`.
* payload format 1.0 — REST API: `httpMethod`, `path`, `(multiValue)queryStringParameters`,
  `(multiValue)headers`; result `{statusCode, headers, multiValueHeaders, body, isBase64Encoded}`.

Bodies: a request body flagged `isBase64Encoded` is decoded; a response body that is not text
(by content type, or not valid UTF-8) is sent base64-encoded with `isBase64Encoded: true`.
"""

from __future__ import annotations

import binascii

from zigttp.errors import ZigttpError
from zigttp.records import record
from zigttp.runtime.api import Response

TYPE_CHECKING = False  # (typing, base64 and urllib.parse stay off a cold start's path)
if TYPE_CHECKING:
    from typing import Any, Literal

    Shape = Literal["v1", "v2"]

_TEXT_TYPES = (
    "text/",
    "application/json",
    "application/javascript",
    "application/xml",
    "application/x-www-form-urlencoded",
)


class InvalidEvent(ZigttpError):
    """The invocation payload is not an API Gateway or Function URL proxy event."""


@record(frozen=True)
class ProxyRequest:
    shape: Shape
    method: str
    url: str
    headers: list[tuple[str, str]]
    body: bytes | None


def parse_event(event: Any) -> ProxyRequest:
    if not isinstance(event, dict):
        raise InvalidEvent("event is not a JSON object")
    if event.get("version") == "2.0" and "http" in (event.get("requestContext") or {}):
        return _parse_v2(event)
    if "httpMethod" in event:
        return _parse_v1(event)
    raise InvalidEvent("not an API Gateway (REST v1 / HTTP v2) or Function URL event")


def _parse_v2(event: dict[str, Any]) -> ProxyRequest:
    http = event["requestContext"]["http"]
    path = event.get("rawPath") or http.get("path") or "/"
    query = event.get("rawQueryString") or ""
    headers = [(str(k), str(v)) for k, v in (event.get("headers") or {}).items()]
    if event.get("cookies"):
        headers.append(("cookie", "; ".join(event["cookies"])))
    url = f"{path}?{query}" if query else path
    return ProxyRequest("v2", str(http.get("method", "GET")), url, headers, _body(event))


def _parse_v1(event: dict[str, Any]) -> ProxyRequest:
    path = event.get("path") or "/"
    multi = event.get("multiValueQueryStringParameters") or {}
    single = event.get("queryStringParameters") or {}
    pairs = [(k, v) for k, values in multi.items() for v in values] if multi else list(single.items())
    from urllib.parse import quote, urlencode  # (REST API events only)

    query = urlencode(pairs, quote_via=quote)
    multi_headers = event.get("multiValueHeaders") or {}
    if multi_headers:
        headers = [(k, str(v)) for k, values in multi_headers.items() for v in values]
    else:
        headers = [(k, str(v)) for k, v in (event.get("headers") or {}).items()]
    url = f"{path}?{query}" if query else path
    return ProxyRequest("v1", str(event["httpMethod"]), url, headers, _body(event))


def _body(event: dict[str, Any]) -> bytes | None:
    body = event.get("body")
    if body is None:
        return None
    if event.get("isBase64Encoded"):
        try:
            return binascii.a2b_base64(body, strict_mode=True)  # (b64decode(validate=True))
        except (binascii.Error, ValueError):
            raise InvalidEvent("body is flagged isBase64Encoded but is not valid base64") from None
    return str(body).encode("utf-8")


def proxy_result(response: Response, shape: Shape) -> dict[str, Any]:
    body, encoded = encode_body(response)
    result: dict[str, Any] = {"statusCode": response.status}
    if shape == "v2":
        headers: dict[str, str] = {}
        cookies = []
        for name, value in response.headers:
            if name.lower() == "set-cookie":
                cookies.append(value)
            else:
                headers[name] = f"{headers[name]},{value}" if name in headers else value
        result["headers"] = headers
        if cookies:
            result["cookies"] = cookies
    else:
        multi: dict[str, list[str]] = {}
        for name, value in response.headers:
            multi.setdefault(name, []).append(value)
        # API Gateway merges both maps; a pair present in both appears once.
        result["headers"] = {name: values[0] for name, values in multi.items() if len(values) == 1}
        result["multiValueHeaders"] = multi
    result["body"] = body
    result["isBase64Encoded"] = encoded
    return result


def encode_body(response: Response) -> tuple[str, bool]:
    """(body, isBase64Encoded): text content types that decode as UTF-8 stay text."""
    content_type = (response.header("content-type") or "").lower()
    texty = (
        not content_type
        or content_type.startswith(_TEXT_TYPES)
        or content_type.split(";")[0].endswith(("+json", "+xml"))
    )
    if texty:
        try:
            return response.body.decode("utf-8"), False
        except UnicodeDecodeError:
            pass
    return binascii.b2a_base64(response.body, newline=False).decode("ascii"), True
