"""`zigttp:fetch`: synchronous outbound HTTP, only to hosts the operator allowed.

The host function `fetch(url, init?)` with `init = {method?, headers?, body?, timeoutMs?,
maxResponseBytes?}` returns `{ok: true, value: {status, headers, body}}` for ANY HTTP status
(a 404 is still a response) and `{ok: false, error: {tag, message}}` when there is no
response: tags "host_not_allowed", "invalid_url", "timeout", "too_large", "network". JS
handlers get a `Response` made from it (`fetch_response.py`).

Rules: only `http`/`https`; the host must match `ctx.options["outbound_hosts"]` (exact names,
`*.example.com` globs, optional `:port`); redirects are NOT followed (a 3xx comes back as is,
so a redirect can never leave the allow-list); the per-call timeout is capped by
`outbound_timeout_ms` (default 10 s); the body is read up to `maxResponseBytes` (default and
cap 10 MiB) and a longer body is an error, never silently truncated. Bodies are decoded as
UTF-8 with replacement; response header names are lower-cased.
"""

from __future__ import annotations

import functools
from fnmatch import fnmatchcase
from typing import Any
from urllib.parse import urlsplit

from zigttp.modules._result import (
    Result,
    bad_arg,
    err,
    is_number,
    ok,
    want_opt_dict,
    want_opt_str,
    want_str,
)
from zigttp.modules._spec import ModuleContext, ModuleSpec
from zigttp.modules.fetch_response import JS_WRAPPERS, retry_sleep

DEFAULT_TIMEOUT_MS = 10_000
MAX_RESPONSE_BYTES = 10 * 1024 * 1024
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


@functools.cache
def _opener() -> Any:
    """urllib.request costs ~40 ms to import: pay it on the first fetch, not at serve start."""
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None  # hand the 3xx back to the caller instead of following it

    return urllib.request.build_opener(NoRedirect)


def host_allowed(host: str, port: int, patterns: tuple[str, ...]) -> bool:
    for pattern in patterns:
        name, _, want_port = pattern.lower().partition(":")
        if fnmatchcase(host, name) and (not want_port or want_port == str(port)):
            return True
    return False


def _failure(tag: str, message: str) -> Result:
    return err({"tag": tag, "message": message})


def _number_option(init: dict[str, Any], key: str, default: int, cap: int) -> int:
    value = init.get(key)
    if value is None:
        return min(default, cap)
    if not is_number(value) or value <= 0:
        raise bad_arg("fetch", f"init.{key}", "a positive number")
    return int(min(value, cap))


def _request(url: str, init: dict[str, Any]) -> Any:
    method = (want_opt_str("fetch", "init.method", init.get("method")) or "GET").upper()
    if method not in METHODS:
        raise bad_arg("fetch", "init.method", f"one of {', '.join(sorted(METHODS))}")
    headers = want_opt_dict("fetch", "init.headers", init.get("headers"))
    body = want_opt_str("fetch", "init.body", init.get("body"))
    import urllib.request

    request = urllib.request.Request(url, method=method, data=body.encode() if body else None)
    for name, value in headers.items():
        text = want_str("fetch", f"init.headers.{name}", value)
        if any(c in name + text for c in "\r\n\0") or not name:
            raise bad_arg("fetch", f"init.headers.{name}", "free of CR, LF and NUL")
        request.add_header(name, text)
    return request


def _read(response: Any, limit: int) -> bytes | None:
    data = response.read(limit + 1)
    return None if len(data) > limit else data


class Fetcher:
    def __init__(self, ctx: ModuleContext) -> None:
        self.hosts = tuple(ctx.options.get("outbound_hosts", ()))
        self.timeout_cap = int(ctx.options.get("outbound_timeout_ms") or DEFAULT_TIMEOUT_MS)

    def fetch(self, url: Any, init: Any = None) -> Result:
        url = want_str("fetch", "url", url)
        options = want_opt_dict("fetch", "init", init)
        timeout_ms = _number_option(options, "timeoutMs", self.timeout_cap, self.timeout_cap)
        limit = _number_option(options, "maxResponseBytes", MAX_RESPONSE_BYTES, MAX_RESPONSE_BYTES)
        parts = urlsplit(url)
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            return _failure("invalid_url", f"invalid URL {url!r}")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return _failure("invalid_url", f"only absolute http(s) URLs can be fetched: {url!r}")
        if not host_allowed(parts.hostname, port, self.hosts):
            message = f"{parts.hostname}:{port} is not an allowed outbound host (--outbound-host)"
            return _failure("host_not_allowed", message)
        return self._send(_request(url, options), timeout_ms / 1000, limit)

    def _send(self, request: Any, timeout: float, limit: int) -> Result:
        import urllib.error

        try:
            with _opener().open(request, timeout=timeout) as response:
                return self._response(response, limit)
        except urllib.error.HTTPError as response:
            with response:
                return self._response(response, limit)
        except TimeoutError:
            return _failure("timeout", f"no response within {timeout:g} s")
        except (urllib.error.URLError, OSError) as problem:
            reason = getattr(problem, "reason", problem)
            if isinstance(reason, TimeoutError):
                return _failure("timeout", f"no response within {timeout:g} s")
            return _failure("network", str(reason))

    def _response(self, response: Any, limit: int) -> Result:
        data = _read(response, limit)
        if data is None:
            return _failure("too_large", f"response body exceeds {limit} bytes")
        headers = {name.lower(): value for name, value in response.headers.items()}
        body = data.decode("utf-8", "replace")
        return ok({"status": response.status, "headers": headers, "body": body})


def create(ctx: ModuleContext) -> dict[str, Any]:
    return {"fetch": Fetcher(ctx).fetch, "fetchWithRetry": retry_sleep}


# What JS sees (a Response per call, `query:`, fetchWithRetry) is built in fetch_response.py.
MODULE = ModuleSpec(
    name="fetch",
    exports=("fetch", "fetchWithRetry"),
    create=create,
    traceable=frozenset({"fetch"}),
    blocking=True,
    js_wrappers=JS_WRAPPERS,
)
