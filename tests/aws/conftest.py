"""A `zigttp lambda` process talking to the Runtime API test double."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.aws.runtime_double import RuntimeApiDouble
from tests.conftest import ROOT, zigttp_command

HERE = Path(__file__).parent
HANDLER = HERE / "handler.js"


def event(name: str, **changes: Any) -> dict[str, Any]:
    data = json.loads((HERE / "events" / f"{name}.json").read_text())
    data.update(changes)
    return data


class LambdaProcess:
    def __init__(self, args: list[str], env: dict[str, str] | None = None, command: str = "lambda") -> None:
        self.api = RuntimeApiDouble()
        self.process = subprocess.Popen(
            zigttp_command(command, *args),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "AWS_LAMBDA_RUNTIME_API": self.api.address, **(env or {})},
        )

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            _, err = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate(timeout=5)
        self.api.close()
        return err


@pytest.fixture
def start_lambda() -> Iterator[Callable[..., LambdaProcess]]:
    started: list[LambdaProcess] = []

    def factory(*args: str, env: dict[str, str] | None = None, command: str = "lambda") -> LambdaProcess:
        process = LambdaProcess(list(args) or [str(HANDLER)], env, command)
        started.append(process)
        return process

    yield factory
    for process in started:
        process.stop()


@pytest.fixture(scope="module")
def warm_lambda() -> Iterator[LambdaProcess]:
    process = LambdaProcess([str(HANDLER)])
    yield process
    process.stop()
