"""`zigttp dev`: live reload swaps code between requests, refuses broken saves, keeps serving."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import BANNER, ROOT, ServerProcess, zigttp_command

V1 = """
function handler(r) {
  if (r.path === "/slow") {
    const end = Date.now() + 1500;
    while (Date.now() < end) {}
    return Response.text("v1-slow");
  }
  return Response.text("v1");
}
"""
V2 = 'function handler(r) { return Response.text("v2"); }'
BROKEN = 'function handler(r) { return Response.text("v3" }'


def start_dev(*args: str, cwd: Path = ROOT) -> ServerProcess:
    process = subprocess.Popen(
        zigttp_command("dev", "--port", "0", "--no-status", *args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    match = BANNER.search(line)
    if match is None:
        process.kill()
        raise AssertionError(f"dev did not start: {line}{process.communicate(timeout=5)[1]}")
    return ServerProcess(process, match.group(1), int(match.group(2)))


@pytest.fixture
def dev(tmp_path):
    started: list[ServerProcess] = []

    def factory(source: str, *args: str) -> tuple[ServerProcess, Path]:
        handler = tmp_path / "handler.js"
        handler.write_text(source)
        server = start_dev(str(handler), *args)
        started.append(server)
        return server, handler

    yield factory
    for server in started:
        server.stop()


def save(path: Path, source: str) -> None:
    path.write_text(source)


def test_a_save_swaps_the_code_between_two_requests(dev):
    server, handler = dev(V1)
    assert server.get("/").text == "v1"
    save(handler, V2)
    server.wait_for_log("Reloaded", timeout=10)
    assert server.get("/").text == "v2"


def test_a_broken_save_keeps_the_previous_version(dev):
    server, handler = dev(V1)
    save(handler, BROKEN)
    log = server.wait_for_log("Reload failed", timeout=10)
    assert "still serving the previous version" in log
    assert "handler.js:1:" in log and "error[" in log  # the front end's diagnostic, with its position
    assert server.get("/").text == "v1"


def test_a_save_that_throws_at_load_keeps_the_previous_version(dev):
    server, handler = dev(V1)
    save(handler, 'throw new Error("bad top level");\nfunction handler(r) { return Response.text("v4"); }')
    log = server.wait_for_log("Reload failed", timeout=10)
    assert "bad top level" in log
    assert server.get("/").text == "v1"


def test_fixing_a_broken_save_reloads(dev):
    server, handler = dev(V1)
    save(handler, BROKEN)
    server.wait_for_log("Reload failed", timeout=10)
    save(handler, V2)
    server.wait_for_log("Reloaded", timeout=10)
    assert server.get("/").text == "v2"


def test_in_flight_requests_finish_on_the_old_code(dev):
    server, handler = dev(V1)
    box: list[str] = []
    slow = threading.Thread(target=lambda: box.append(server.get("/slow", timeout=20).text))
    slow.start()
    time.sleep(0.3)
    save(handler, V2)
    server.wait_for_log("Reloaded", timeout=10)
    assert server.get("/").text == "v2"
    slow.join(20)
    assert box == ["v1-slow"]


def test_dev_takes_serve_options(dev, tmp_path):
    (tmp_path / "public").mkdir()
    (tmp_path / "public" / "a.txt").write_text("static")
    server, _ = dev(V2, "--static", str(tmp_path / "public"), "--cors")
    response = server.get("/a.txt")
    assert response.text == "static" and response.headers["access-control-allow-origin"] == "*"


def test_sigterm_stops_dev_cleanly(dev):
    server, _ = dev(V2)
    assert server.stop(signal.SIGTERM) == 0


def test_dev_uses_the_handler_from_zigttp_json(tmp_path):
    (tmp_path / "zigttp.json").write_text('{"handler": "app.js"}')
    (tmp_path / "app.js").write_text(V2)
    server = start_dev(cwd=tmp_path)
    try:
        assert requests.get(server.url + "/", timeout=10).text == "v2"
    finally:
        server.stop()


def test_saving_an_imported_file_reloads(tmp_path):
    (tmp_path / "lib.js").write_text('export function version() { return "lib-1"; }\n')
    handler = tmp_path / "main.js"
    handler.write_text(
        'import { version } from "./lib.js";\n'
        "export function handler(r) { return Response.text(version()); }\n"
    )
    server = start_dev(str(handler))
    try:
        assert server.get("/").text == "lib-1"
        (tmp_path / "lib.js").write_text('export function version() { return "lib-2"; }\n')
        server.wait_for_log("Reloaded", timeout=10)
        assert server.get("/").text == "lib-2"
    finally:
        server.stop()


def test_a_newly_imported_file_is_watched_after_reload(tmp_path):
    handler = tmp_path / "main.js"
    handler.write_text('export function handler(r) { return Response.text("plain"); }\n')
    server = start_dev(str(handler))
    try:
        (tmp_path / "extra.js").write_text('export const word = "extra-1";\n')
        handler.write_text(
            'import { word } from "./extra.js";\nexport function handler(r) { return Response.text(word); }\n'
        )
        server.wait_for_log("(reload #1)", timeout=10)
        assert server.get("/").text == "extra-1"
        (tmp_path / "extra.js").write_text('export const word = "extra-2";\n')
        server.wait_for_log("(reload #2)", timeout=10)
        assert server.get("/").text == "extra-2"
    finally:
        server.stop()
