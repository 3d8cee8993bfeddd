"""`zigttp:url`: URL parsing and percent-coding.

`urlParse` returns WHATWG-`URL`-shaped fields (`protocol` with its colon, `port` as a string,
`search`/`hash` with their prefix or empty) and also accepts the path-only form handlers see
in `req.url` (`/a?b=1`); input that is not a URL (bad port, spaces in the host) → undefined.
`urlSearchParams` decodes `+` as space and keeps the LAST value of a repeated key, as
`req.query` does (spec §2). `urlEncode` is `encodeURIComponent`; `urlDecode` is
`decodeURIComponent` except that a malformed `%xx` stays as written instead of throwing.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from zigttp.modules._result import bad_arg, want_str
from zigttp.modules._spec import ModuleContext, ModuleSpec

URI_COMPONENT_SAFE = "-_.!~*'()"


def url_parse(text: Any) -> dict[str, Any] | None:
    text = want_str("urlParse", "url", text)
    try:
        parts = urlsplit(text.strip())
        port = parts.port
    except ValueError:
        return None
    hostname = parts.hostname or ""
    if " " in hostname or (parts.scheme and not parts.netloc and "://" in text):
        return None
    protocol = f"{parts.scheme}:" if parts.scheme else ""
    host = hostname + (f":{port}" if port is not None else "")
    return {
        "href": text,
        "protocol": protocol,
        "username": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "host": host,
        "hostname": hostname,
        "port": "" if port is None else str(port),
        "pathname": parts.path or ("/" if parts.netloc else ""),
        "search": f"?{parts.query}" if parts.query else "",
        "hash": f"#{parts.fragment}" if parts.fragment else "",
        "origin": f"{protocol}//{host}" if parts.netloc else "",
        "query": url_search_params(parts.query),
    }


def url_search_params(query: Any) -> dict[str, str]:
    query = want_str("urlSearchParams", "query", query)
    return dict(parse_qsl(query.removeprefix("?"), keep_blank_values=True))


def url_encode(text: Any) -> str:
    return quote(want_str("urlEncode", "text", text), safe=URI_COMPONENT_SAFE)


def url_decode(text: Any) -> str:
    text = want_str("urlDecode", "text", text)
    try:
        return unquote(text, errors="strict")
    except UnicodeDecodeError:
        raise bad_arg("urlDecode", "text", "percent-encoded UTF-8") from None


def create(ctx: ModuleContext) -> dict[str, Any]:
    return {
        "urlParse": url_parse,
        "urlSearchParams": url_search_params,
        "urlEncode": url_encode,
        "urlDecode": url_decode,
    }


EXPORTS = ("urlParse", "urlSearchParams", "urlEncode", "urlDecode")
MODULE = ModuleSpec(
    name="url",
    exports=EXPORTS,
    create=create,
    traceable=frozenset(EXPORTS),
    pure=frozenset(EXPORTS),
    effects=False,
)
