"""`zigttp serve --module FILE.py` and the PORT environment variable."""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Callable
from pathlib import Path

from tests.conftest import ServerProcess, run_zigttp, start_server, zigttp_command

BILLING = """
import zigttp

@zigttp.native("zigttp:billing")
def charge(cents: int) -> dict:
    if cents <= 0:
        raise ValueError("amount must be positive")
    return {"charged": cents}
"""
HANDLER = """
function handler(r) {
  const { charge } = __zigttp_import("billing");
  return Response.json(charge(r.query.cents));
}
"""


def test_module_file_is_callable_from_the_handler(
    serve: Callable[..., ServerProcess], tmp_path: Path
) -> None:
    module = tmp_path / "billing.py"
    module.write_text(BILLING)
    server = serve(HANDLER, "--module", str(module), "-n", "2")
    assert server.get("/?cents=250").json() == {"charged": 250}


def test_python_exception_is_500_with_its_message_and_the_server_keeps_serving(
    serve: Callable[..., ServerProcess], tmp_path: Path
) -> None:
    module = tmp_path / "billing.py"
    module.write_text(BILLING)
    server = serve(HANDLER, "--module", str(module), "-n", "1")
    failed = server.get("/?cents=-1")
    assert failed.status_code == 500
    assert "amount must be positive" in failed.text
    assert server.get("/?cents=1").json() == {"charged": 1}
    server.wait_for_log("ValueError: amount must be positive")


def test_bad_module_path_exits_2(tmp_path: Path) -> None:
    handler = tmp_path / "h.js"
    handler.write_text(HANDLER)
    result = run_zigttp("serve", "--port", "0", "--module", str(tmp_path / "missing.py"), str(handler))
    assert result.returncode == 2
    assert "no such Python file" in result.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_port_env_is_honoured(tmp_path: Path) -> None:
    port = free_port()
    handler = tmp_path / "h.js"
    handler.write_text("function handler() { return 'ok'; }")
    process = subprocess.Popen(
        zigttp_command("serve", "-n", "1", str(handler)),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PORT": str(port)},
    )
    try:
        assert process.stdout is not None
        assert f"Listening on http://127.0.0.1:{port} " in process.stdout.readline()
    finally:
        process.terminate()
        process.wait(10)
        process.stdout.close()  # type: ignore[union-attr]


def test_handler_path_from_zigttp_handler_env(tmp_path: Path) -> None:
    handler = tmp_path / "h.js"
    handler.write_text("function handler() { return 'from env'; }")
    server = start_server(["-n", "1"], env={"ZIGTTP_HANDLER": str(handler)})
    try:
        assert server.get("/").text == "from env"
    finally:
        server.stop()
