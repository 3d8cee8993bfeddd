"""`zigttp:http`: header helpers: cookies, content negotiation, content types, CORS headers.

- `parseCookies(header)` → `{name: value}` (RFC 6265 §5.4 pairs split on `;`; a pair without
  `=` is skipped; the first of a repeated name wins, as browsers send the most specific first).
- `setCookie(name, value, opts?)` → a `Set-Cookie` value. Names must be RFC 6265 tokens and
  values/attributes may not contain `;`, `,`, whitespace or control characters: anything that
  could split or inject a header raises a TypeError instead of being emitted.
- `negotiate(accept, offered)` → the best offered type for an `Accept` header (q-values, `*/*`,
  `type/*`, ties keep the client's order), or undefined; `offered` is an array or `"a, b"`.
- `parseContentType(header)` → `{mediaType, type, subtype, charset?, params}` (lower-cased).
- `cors(origin, opts?)` → the `Access-Control-*` headers as an object.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import Any

from zigttp.modules._result import bad_arg, is_number, want_opt_dict, want_str
from zigttp.modules._spec import ModuleContext, ModuleSpec

_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_COOKIE_VALUE = re.compile(r'^"?[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*"?$')
_ATTRIBUTE_VALUE = re.compile(r"^[\x20-\x3A\x3C-\x7E]*$")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
SAME_SITE = {"strict": "Strict", "lax": "Lax", "none": "None"}


def parse_cookies(header: Any) -> dict[str, str]:
    if header is None:
        return {}
    cookies: dict[str, str] = {}
    for pair in want_str("parseCookies", "header", header).split(";"):
        name, sep, value = pair.strip().partition("=")
        name = name.strip()
        if sep and name and name not in cookies:
            cookies[name] = value.strip().removeprefix('"').removesuffix('"')
    return cookies


def _attribute(name: str, value: Any) -> str:
    text = want_str("setCookie", f"opts.{name}", value)
    if not _ATTRIBUTE_VALUE.match(text):
        raise bad_arg("setCookie", f"opts.{name}", "free of ';' and control characters")
    return text


def _expires(value: Any) -> str:
    """Epoch ms → IMF-fixdate (RFC 9110 §5.6.7); a string is used as given."""
    if is_number(value) and math.isfinite(value):
        moment = datetime.fromtimestamp(value / 1000, tz=UTC)
        day, month = DAYS[moment.weekday()], MONTHS[moment.month - 1]
        return f"{day}, {moment.day:02d} {month} {moment.year:04d} {moment:%H:%M:%S} GMT"
    return _attribute("expires", value)


def set_cookie(name: Any, value: Any, opts: Any = None) -> str:
    name = want_str("setCookie", "name", name)
    value = want_str("setCookie", "value", value)
    options = want_opt_dict("setCookie", "opts", opts)
    if not _TOKEN.match(name):
        raise bad_arg("setCookie", "name", "a cookie-name token")
    if not _COOKIE_VALUE.match(value):
        raise bad_arg("setCookie", "value", "free of ';', ',', '\"', spaces and controls")
    parts = [f"{name}={value}"]
    for key, label in (("path", "Path"), ("domain", "Domain")):
        if options.get(key) is not None:
            parts.append(f"{label}={_attribute(key, options[key])}")
    if options.get("maxAge") is not None:
        if not is_number(options["maxAge"]) or not math.isfinite(options["maxAge"]):
            raise bad_arg("setCookie", "opts.maxAge", "a finite number")
        parts.append(f"Max-Age={math.floor(options['maxAge'])}")
    if options.get("expires") is not None:
        parts.append(f"Expires={_expires(options['expires'])}")
    for key, flag in (("httpOnly", "HttpOnly"), ("secure", "Secure")):
        if options.get(key) is True:
            parts.append(flag)
    if options.get("sameSite") is not None:
        same_site = SAME_SITE.get(str(options["sameSite"]).lower())
        if same_site is None:
            raise bad_arg("setCookie", "opts.sameSite", "one of Strict, Lax, None")
        parts.append(f"SameSite={same_site}")
    return "; ".join(parts)


def _media_range(entry: str) -> tuple[str, float]:
    media, *params = (part.strip() for part in entry.split(";"))
    quality = 1.0
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
    return media.lower(), quality if math.isfinite(quality) else 0.0


def _matches(media: str, offered: str) -> bool:
    offered = offered.lower()
    if media in ("*", "*/*") or media == offered:
        return True
    return media.endswith("/*") and offered.split("/", 1)[0] == media[:-2]


def negotiate(accept: Any, offered: Any) -> str | None:
    if isinstance(offered, str):
        offered = [item.strip() for item in offered.split(",") if item.strip()]
    if not isinstance(offered, list) or not all(isinstance(o, str) for o in offered):
        raise bad_arg("negotiate", "offered", "an array of media types or a comma list")
    if accept is None or (isinstance(accept, str) and not accept.strip()):
        return offered[0] if offered else None  # no Accept header: anything goes
    ranges = [_media_range(e) for e in want_str("negotiate", "accept", accept).split(",")]
    ranges.sort(key=lambda item: -item[1])  # stable: equal q keeps the client's order
    for media, quality in ranges:
        if quality <= 0:
            continue
        for candidate in offered:
            if _matches(media, candidate):
                return candidate
    return None


def parse_content_type(header: Any) -> dict[str, Any]:
    media, *params = want_str("parseContentType", "header", header).split(";")
    media_type = media.strip().lower()
    kind, _, subtype = media_type.partition("/")
    parsed: dict[str, str] = {}
    for param in params:
        key, sep, value = param.partition("=")
        if sep and key.strip():
            parsed[key.strip().lower()] = value.strip().strip('"')
    result: dict[str, Any] = {"mediaType": media_type, "type": kind, "subtype": subtype}
    if "charset" in parsed:
        result["charset"] = parsed["charset"].lower()
    result["params"] = parsed
    return result


def cors(origin: Any, opts: Any = None) -> dict[str, str]:
    origin = want_str("cors", "origin", origin)
    options = want_opt_dict("cors", "opts", opts)
    headers = {"Access-Control-Allow-Origin": origin}
    for key, header in (("methods", "Methods"), ("headers", "Headers")):
        value = options.get(key)
        if isinstance(value, list):
            value = ", ".join(str(item) for item in value)
        if value is not None:
            headers[f"Access-Control-Allow-{header}"] = want_str("cors", f"opts.{key}", value)
    if is_number(options.get("maxAge")):
        headers["Access-Control-Max-Age"] = str(math.floor(options["maxAge"]))
    if options.get("credentials") is True:
        headers["Access-Control-Allow-Credentials"] = "true"
    if origin != "*":
        headers["Vary"] = "Origin"
    return headers


def create(ctx: ModuleContext) -> dict[str, Any]:
    return {
        "parseCookies": parse_cookies,
        "setCookie": set_cookie,
        "negotiate": negotiate,
        "parseContentType": parse_content_type,
        "cors": cors,
    }


EXPORTS = ("parseCookies", "setCookie", "negotiate", "parseContentType", "cors")
MODULE = ModuleSpec(
    name="http",
    exports=EXPORTS,
    create=create,
    traceable=frozenset(EXPORTS),
    pure=frozenset(EXPORTS),
    effects=False,
)
