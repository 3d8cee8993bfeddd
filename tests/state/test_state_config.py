"""How `--state` is given (flag, ZIGTTP_STATE, zigttp.json), what a bad URL says, and that a
server without it never imports the Redis client."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_zigttp, start_server
from tests.state.test_shared_instances import HANDLER
from zigttp.config import ServerConfig, config_from_env
from zigttp.errors import UsageError
from zigttp.modules import find_module
from zigttp.modules._state import parse_state_url, redact


@pytest.mark.parametrize(
    "url",
    [
        "redis://localhost:6379/0",
        "rediss://user:pw@cache.internal:6380/2",
        "unix:///run/redis/redis.sock?db=1",
        "redis://10.0.0.5",
    ],
)
def test_accepted_urls(url: str) -> None:
    assert parse_state_url(url) == url


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("memcached://host:11211", "unknown scheme"),
        ("localhost:6379", "unknown scheme"),
        ("redis://:6379/0", "no host"),
        ("redis://host:port/0", "Port could not be cast"),
        ("redis://host:6379/cache", "database 'cache' is not a number"),
        ("unix://", "no socket path"),
    ],
)
def test_bad_urls_say_what_and_what_is_accepted(url: str, problem: str) -> None:
    with pytest.raises(UsageError, match=problem) as raised:
        ServerConfig(state=url)
    assert "redis://[user:pass@]HOST:PORT/DB" in str(raised.value)


def test_sqlite_or_empty_means_the_default_store() -> None:
    assert ServerConfig(state="sqlite").state is None
    assert ServerConfig(state="").state is None


def test_passwords_are_redacted_in_messages() -> None:
    assert redact("redis://app:s3cret@host:6379/0") == "redis://app:***@host:6379/0"
    with pytest.raises(UsageError) as raised:
        ServerConfig(state="redis://app:s3cret@host:6379/db")
    assert "s3cret" not in str(raised.value)


def test_cli_rejects_a_bad_state_url_with_exit_2(tmp_path: Path) -> None:
    handler = tmp_path / "h.js"
    handler.write_text(HANDLER)
    result = run_zigttp("serve", str(handler), "--state", "redis://host:6379/x")
    assert result.returncode == 2
    assert "invalid --state" in result.stderr and "is not a number" in result.stderr


def test_zigttp_state_env_reaches_asgi_and_lambda_configs() -> None:
    config = config_from_env({"ZIGTTP_STATE": "redis://cache:6379/0", "ZIGTTP_STATE_TIMEOUT_MS": "250"})
    assert (config.state, config.state_timeout_ms) == ("redis://cache:6379/0", 250)
    assert config.module_options()["state"] == "redis://cache:6379/0"


def test_env_and_zigttp_json_both_select_the_store(tmp_path: Path, redis_url: str) -> None:
    (tmp_path / "handler.js").write_text(HANDLER)
    (tmp_path / "zigttp.json").write_text(
        json.dumps({"handler": "handler.js", "state": redis_url, "ratelimitFail": "closed"})
    )
    from_json = start_server(["-q"], cwd=tmp_path)
    from_env = start_server([str(tmp_path / "handler.js"), "-q"], env={"ZIGTTP_STATE": redis_url})
    try:
        assert from_json.get("/incr/k").json() == {"value": 1}
        assert from_env.get("/incr/k").json() == {"value": 2}  # the same store
    finally:
        from_json.stop()
        from_env.stop()


def test_zigttp_json_rejects_a_bad_state(tmp_path: Path) -> None:
    (tmp_path / "handler.js").write_text(HANDLER)
    (tmp_path / "zigttp.json").write_text(json.dumps({"handler": "handler.js", "state": "mysql://x"}))
    result = run_zigttp("serve", cwd=tmp_path)
    assert result.returncode == 2 and "'state': invalid --state" in result.stderr


LOAD_AND_LIST = """
import sys
from zigttp.config import ServerConfig
from zigttp.log import ServerLog
from zigttp.runtime.handler import compile_entry
from zigttp.server.lifecycle import build_handler

config = ServerConfig(state=sys.argv[2] or None, pool_size=1)
handler = build_handler(compile_entry(sys.argv[1], None), config, ServerLog(access=False))
print("redis" in sys.modules, handler.bridge.blocking)
"""


@pytest.mark.parametrize(("state", "expected"), [("", "False False"), ("redis://127.0.0.1:1/0", "True True")])
def test_redis_is_imported_only_with_state_and_then_calls_leave_the_event_loop(
    tmp_path: Path, state: str, expected: str
) -> None:
    handler = tmp_path / "h.js"
    handler.write_text(HANDLER)
    result = subprocess.run(
        [sys.executable, "-c", LOAD_AND_LIST, str(handler), state],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.stdout.split("\n")[-2] == expected, result.stderr


@pytest.mark.parametrize("name", ["fetch", "sql"])
def test_blocking_modules_stay_blocking_through_the_registry(name: str) -> None:
    spec = find_module(name)
    assert spec is not None and spec.blocking is True
