"""zigttp:log: one NDJSON line per call on stderr."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import pytest

from zigttp.modules import ModuleTypeError


@pytest.fixture
def log(load: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return load("log")


def test_each_level_writes_one_json_line(log: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    for fn in ("logDebug", "logInfo", "logWarn", "logError"):
        assert log[fn]("hello", {"user": "u1"}) is None
    lines = capsys.readouterr().err.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["level"] for r in records] == ["debug", "info", "warn", "error"]
    assert records[0] == {
        "timestamp": "1970-01-01T00:16:40.000Z",
        "level": "debug",
        "message": "hello",
        "context": {"user": "u1"},
    }


def test_context_is_optional(log: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    log["logInfo"]("plain")
    assert "context" not in json.loads(capsys.readouterr().err)


def test_newlines_in_message_stay_inside_one_line(
    log: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    log["logWarn"]("a\nb")
    output = capsys.readouterr().err
    assert output.count("\n") == 1 and json.loads(output)["message"] == "a\nb"


def test_concurrent_lines_do_not_interleave(log: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    def spam() -> None:
        for i in range(200):
            log["logInfo"]("x" * 100, {"i": i})

    threads = [threading.Thread(target=spam) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 800 and all(json.loads(line)["message"] for line in lines)


def test_bad_context_raises(log: dict[str, Any]) -> None:
    with pytest.raises(ModuleTypeError, match="logInfo: argument 'context' must be an object"):
        log["logInfo"]("m", "ctx")
