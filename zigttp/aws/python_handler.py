"""zigttp on AWS's managed Python runtime: set the function's handler to
`zigttp.aws.python_handler.handler` and `ZIGTTP_HANDLER=handler.js` (relative to the task root).

The same event translation and failure mapping as the custom runtime (`runtime_loop`); the
warm `Runtime` lives in this module and is reused across invocations.
"""

from __future__ import annotations

import threading
from typing import Any

from zigttp.aws.events import parse_event, proxy_result
from zigttp.runtime.api import Runtime

_lock = threading.Lock()
_runtime: Runtime | None = None


class HandlerFailed(Exception):
    """Raised so that Lambda records a function error carrying the handler's message."""


def _warm() -> Runtime:
    global _runtime
    with _lock:
        if _runtime is None:
            from zigttp.aws.runtime_loop import handler_path
            from zigttp.config import config_from_env

            _runtime = Runtime(str(handler_path(None)), config_from_env(pool_size=1), id_prefix="lambda")
        return _runtime


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    request = parse_event(event)
    request_id = getattr(context, "aws_request_id", None)
    response = _warm().handle(
        request.method, request.url, request.headers, request.body, request_id=request_id
    )
    if response.error is not None and response.status >= 500:
        raise HandlerFailed(f"{response.error}: {response.text()}")
    return proxy_result(response, request.shape)
