"""Module-scoped servers for the security suites.

Starting a server costs ~0.3 s, so the attack tables share one server per backend and module;
every case then proves the server still answers a good request on a fresh connection.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ServerProcess, start_server
from tests.security.rawhttp import ECHO


@pytest.fixture(scope="module", params=["loop", "threads"])
def attack_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    path: Path = tmp_path_factory.mktemp("attack") / "echo.js"
    path.write_text(ECHO)
    server = start_server([str(path), "-n", "2", "-q", "--backend", str(request.param)])
    yield server
    assert server.process.poll() is None, f"server died:\n{server.stderr}"
    server.stop()
