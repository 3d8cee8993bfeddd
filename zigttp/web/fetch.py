"""The host side of the global `fetch()` (runtime/js/web/fetch.js): one outbound call."""

from __future__ import annotations

import math
from typing import Any

from zigttp.web import NativeError, native
from zigttp.web.outbound import OutboundError, send


@native("fetch.send")
def fetch_send(
    method: str, url: str, pairs: list[list[str]], body: bytes | None, redirect: str, remaining_ms: float
) -> dict[str, Any]:
    """[status, statusText, [[name, value]...], body, final url, redirected], or a TypeError
    naming what failed (as fetch() rejects: a network error is a TypeError)."""
    budget = None if remaining_ms is None or math.isinf(remaining_ms) else max(remaining_ms, 0.0)
    try:
        reply = send(
            method, url, [(str(k), str(v)) for k, v in pairs], body, redirect=redirect, timeout_ms=budget
        )
    except OutboundError as exc:
        raise NativeError("TypeError", f"fetch {url}: {exc.message}") from None
    return {
        "status": reply.status,
        "statusText": reply.reason,
        "headers": [[name, value] for name, value in reply.headers],
        "body": reply.body,
        "url": reply.url,
        "redirected": reply.redirected,
    }
