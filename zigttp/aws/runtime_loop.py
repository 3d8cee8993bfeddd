"""`zigttp lambda`: a custom runtime serving proxy events from one warm `Runtime`.

Init: compile the handler and warm the pool once (a failure is posted to `/init/error` and the
process exits 1, so Lambda reports it). Then forever: take the next invocation, translate the
event, run the handler, post the proxy result. The pool, and the handler's module-level state,
survive across invocations of the same execution environment, as with any Lambda runtime.

Failure mapping: a handler failure (throw, memory, timeout — what `serve` answers with 5xx) is
posted as an invocation error `{"errorMessage": <message>, "errorType": <class>}`; an event of
an unknown shape as `Runtime.InvalidEvent`; a proxy result over Lambda's 6 MB response limit as
`Runtime.ResponseTooLarge`. A request body over 1 MiB is a 413 proxy result, as in `serve`.
"""

from __future__ import annotations

import os
import sys

from zigttp import import_bundle
from zigttp.aws.events import InvalidEvent, parse_event, proxy_result
from zigttp.aws.runtime_api import Invocation, RuntimeApi, RuntimeApiError
from zigttp.config import ServerConfig
from zigttp.errors import ZigttpError
from zigttp.lean import json_dumps, json_loads
from zigttp.log import ServerLog
from zigttp.runtime.api import Runtime
from zigttp.state_dir import sweep_leftovers

MAX_RESPONSE_PAYLOAD = 6 * 1024 * 1024  # synchronous invocation response limit


def handler_path(handler: str | None) -> str | None:
    """The handler argument, else `ZIGTTP_HANDLER` / Lambda's `_HANDLER` under LAMBDA_TASK_ROOT.

    A source name whose file is absent but whose built artifact sits next to it (`handler.js`
    → `handler.pyz`, what deploy/lambda/build.sh packages) resolves to the artifact, so the
    function's handler setting can keep naming the source file."""
    name = handler or os.environ.get("ZIGTTP_HANDLER") or os.environ.get("_HANDLER")
    if name and not os.path.isabs(name) and not os.path.exists(name):
        name = os.path.join(os.environ.get("LAMBDA_TASK_ROOT", "."), name)
    if name and not os.path.exists(name):
        built = os.path.splitext(name)[0] + ".pyz"
        if os.path.exists(built):
            return built
    return name


def lambda_config(options: dict[str, object]) -> ServerConfig:
    """Flags that were given, over `ZIGTTP_*` variables, over a pool of one."""
    from zigttp.config import config_from_env

    given = {k: v for k, v in options.items() if v not in (None, False, ())}
    if "modules" in given:
        given["modules"] = tuple(given["modules"])  # type: ignore[arg-type]
    if "pool_size" not in given and not (os.environ.get("ZIGTTP_POOL") or os.environ.get("ZIGTTP_POOL_SIZE")):
        given["pool_size"] = 1
    return config_from_env(**given)


def run_lambda(handler: str | None, inline: str | None, config: ServerConfig) -> int:
    address = os.environ.get("AWS_LAMBDA_RUNTIME_API")
    if not address:
        raise ZigttpError("zigttp lambda runs inside AWS Lambda: AWS_LAMBDA_RUNTIME_API is not set")
    api = RuntimeApi(address)
    log = ServerLog(access=not config.quiet)
    runtime = _init(api, handler, inline, config, log)
    if runtime is None:
        return 1
    try:
        serve_invocation(api, runtime, api.next_invocation())
        sweep_leftovers()  # (after the first answer: the sweep reads the whole of /tmp)
        import_bundle.release()
        import_bundle.refresh()  # (what the next cold start imports before its first answer)
        while True:
            serve_invocation(api, runtime, api.next_invocation())
    except RuntimeApiError as exc:
        sys.stderr.write(f"zigttp: {exc}\n")
        return 1
    finally:
        runtime.close()


def _init(
    api: RuntimeApi, handler: str | None, inline: str | None, config: ServerConfig, log: ServerLog
) -> Runtime | None:
    from zigttp.modules._loader import load_modules
    from zigttp.runtime.handler import compile_entry

    try:
        path = handler_path(handler) if inline is None else None
        if path is None and inline is None:
            raise ZigttpError("no handler: pass HANDLER, or set ZIGTTP_HANDLER or _HANDLER")
        load_modules(config.modules)  # before compiling: imports are checked against them
        return Runtime(compile_entry(path, inline), config, log=log, id_prefix="lambda", sweep=False)
    except ZigttpError as exc:
        sys.stderr.write(f"zigttp: {exc}\n")
        api.init_error("Runtime.InitError", str(exc))
        return None


def serve_invocation(api: RuntimeApi, runtime: Runtime, invocation: Invocation) -> None:
    if invocation.trace_id:
        os.environ["_X_AMZN_TRACE_ID"] = invocation.trace_id
    request_id = invocation.request_id
    try:
        request = parse_event(json_loads(invocation.payload))
    except (ValueError, InvalidEvent) as exc:
        api.error(request_id, "Runtime.InvalidEvent", str(exc))
        return
    response = runtime.handle(
        request.method, request.url, request.headers, request.body, request_id=request_id
    )
    if response.error is not None and response.status >= 500:
        api.error(request_id, response.error, response.text())
        return
    payload = json_dumps(proxy_result(response, request.shape), ensure_ascii=False).encode("utf-8")
    if len(payload) > MAX_RESPONSE_PAYLOAD:
        api.error(
            request_id,
            "Runtime.ResponseTooLarge",
            f"proxy result of {len(payload)} bytes exceeds Lambda's {MAX_RESPONSE_PAYLOAD}-byte limit",
        )
        return
    api.respond(request_id, payload)
