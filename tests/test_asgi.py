"""zigttp.asgi beyond the shared conformance suite: configuration and lifespan."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from zigttp.asgi import ZigttpASGI, app_from_env, create_app
from zigttp.config import config_from_env
from zigttp.errors import UsageError


def test_app_from_env_requires_a_handler() -> None:
    with pytest.raises(UsageError, match="ZIGTTP_HANDLER"):
        app_from_env({})


def test_app_from_env_reads_server_config_fields() -> None:
    app = app_from_env({"ZIGTTP_HANDLER": "h.js", "ZIGTTP_POOL": "3", "ZIGTTP_MEMORY": "64mb"})
    assert (app.handler, app.config.pool_size, app.config.memory_limit) == ("h.js", 3, 64 << 20)


def test_create_app_options_are_server_config_fields() -> None:
    assert create_app("h.js", pool_size=2, timeout=1.5).config.timeout == 1.5


def test_config_from_env_rejects_malformed_values() -> None:
    with pytest.raises(UsageError, match="ZIGTTP_POOL_SIZE"):
        config_from_env({"ZIGTTP_POOL": "many"})


def test_config_from_env_reads_port_and_modules() -> None:
    config = config_from_env({"PORT": "9001", "ZIGTTP_MODULES": "a.py, pkg.b", "ZIGTTP_CORS": "true"})
    assert (config.port, config.modules, config.cors) == (9001, ("a.py", "pkg.b"), True)


def lifespan(app: ZigttpASGI) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []
    incoming = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])

    async def receive() -> dict[str, Any]:
        return next(incoming)

    async def send(message: dict[str, Any]) -> None:
        sent.append(dict(message))

    asyncio.run(app({"type": "lifespan"}, receive, send))  # type: ignore[arg-type]
    return sent


def test_lifespan_warms_the_pool_and_closes_it(tmp_path: Path) -> None:
    handler = tmp_path / "h.js"
    handler.write_text("function handler() { return 'ok'; }")
    app = create_app(str(handler), pool_size=1)
    assert [m["type"] for m in lifespan(app)] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert app.runtime is None


def test_lifespan_reports_a_handler_that_cannot_load(tmp_path: Path) -> None:
    handler = tmp_path / "h.js"
    handler.write_text("function handler( {")
    (message,) = lifespan(create_app(str(handler), pool_size=1))
    assert message["type"] == "lifespan.startup.failed"
    assert "h.js:1" in message["message"] and "syntax" in message["message"].lower()
