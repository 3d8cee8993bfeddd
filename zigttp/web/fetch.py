"""The host side of the global `fetch()` (runtime/js/web/fetch.js): one outbound call, run
as a host task (web/tasks.py) so that the request's loop goes on while it waits."""

from __future__ import annotations

import math
from typing import Any

from zigttp.web import HostState, NativeError, native
from zigttp.web.outbound import OutboundError, send
from zigttp.web.tasks import Cancel, task_set


@native("fetch.start", stateful=True)
def fetch_start(
    state: HostState,
    method: str,
    url: str,
    pairs: list[list[str]],
    body: bytes | None,
    redirect: str,
    remaining_ms: float,
) -> int:
    """Start one outbound call on a host thread; its task id (hooks.hostTask waits for it)."""
    headers = [(str(k), str(v)) for k, v in pairs]
    budget = None if remaining_ms is None or math.isinf(remaining_ms) else max(remaining_ms, 0.0)
    return task_set(state).start(
        lambda cancel: fetch_send(method, url, headers, body, redirect, budget, cancel)
    )


def fetch_send(
    method: str,
    url: str,
    headers: list[tuple[str, str]],
    body: bytes | None,
    redirect: str,
    budget: float | None,
    cancel: Cancel | None = None,
) -> dict[str, Any]:
    """{status, statusText, headers: [[name, value]...], body, url, redirected}, or a TypeError
    naming what failed (as fetch() rejects: a network error is a TypeError)."""
    try:
        reply = send(method, url, headers, body, redirect=redirect, timeout_ms=budget, cancel=cancel)
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
