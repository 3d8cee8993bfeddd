"""The hosts the conformance suite runs against: `zigttp serve` and uvicorn hosting zigttp.asgi:app.

Both serve `handler.js` with one runtime and a 100 ms pool wait, so the 503 case is reachable.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, start_server

HANDLER = Path(__file__).with_name("handler.js")
UVICORN_BANNER = re.compile(r"Uvicorn running on http://(\S+?):(\d+)")


class Host:
    def __init__(self, name: str, url: str, stop: object) -> None:
        self.name = name
        self.url = url
        self.stop = stop


def start_uvicorn(env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "zigttp.asgi:app",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-access-log",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, **env},
    )
    assert process.stderr is not None
    deadline = time.monotonic() + 30
    seen = []
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        seen.append(line)
        if match := UVICORN_BANNER.search(line):
            return process, f"http://{match.group(1)}:{match.group(2)}"
    process.kill()
    raise AssertionError("uvicorn did not start:\n" + "".join(seen))


def stop_uvicorn(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)
    if process.stderr is not None:
        process.stderr.close()


@pytest.fixture(scope="module", params=["serve", "uvicorn"])
def host(request: pytest.FixtureRequest) -> Iterator[Host]:
    if request.param == "serve":
        server = start_server([str(HANDLER), "-n", "1", "--pool-wait-timeout-ms", "100", "-q"])
        yield Host("serve", server.url, server.stop)
        server.stop()
    else:
        process, url = start_uvicorn(
            {"ZIGTTP_HANDLER": str(HANDLER), "ZIGTTP_POOL": "1", "ZIGTTP_POOL_WAIT_TIMEOUT_MS": "100"}
        )
        yield Host("uvicorn", url, process)
        stop_uvicorn(process)
