"""Process faults under load: a SIGKILLed worker is restarted while the server keeps answering,
SIGTERM drains in-flight requests and refuses new ones cleanly, and an unusable SQLite file is a
clear error result instead of a crash. Load is bounded (a few threads, a few seconds, 127.0.0.1).
"""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import threading
import time

import pytest

HANDLER = r"""
function handler(req) {
  if (req.path === "/slow") { const end = Date.now() + 400; while (Date.now() < end) {} }
  return Response.json({ok: true, path: req.path});
}
"""


def _children(pid: int) -> list[str]:
    return subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()


def _get(server, path: str, timeout: float = 10) -> int:
    """One request on a fresh connection (so SO_REUSEPORT spreads them over workers)."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=timeout)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


class Load:
    """`threads` clients looping over `path` until stopped; records (sent_at, outcome)."""

    def __init__(self, server, path: str, threads: int) -> None:
        self.server, self.path = server, path
        self.stop = threading.Event()
        self.results: list[tuple[float, float, object]] = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]
        for thread in self.threads:
            thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            sent = time.monotonic()
            try:
                outcome: object = _get(self.server, self.path)
            except (OSError, http.client.HTTPException) as exc:
                outcome = type(exc).__name__
            with self.lock:
                self.results.append((sent, time.monotonic(), outcome))

    def finish(self) -> list[tuple[float, float, object]]:
        self.stop.set()
        for thread in self.threads:
            thread.join(30)
        return self.results


def test_sigkilled_worker_is_restarted_and_the_server_keeps_answering(serve) -> None:
    server = serve(HANDLER, "--workers", "2", "-n", "2", "-q")
    before = _children(server.process.pid)
    assert len(before) == 2
    load = Load(server, "/", threads=4)
    time.sleep(1.0)
    killed_at = time.monotonic()
    os.kill(int(before[0]), signal.SIGKILL)
    server.wait_for_log("died (signal 9); restarting")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        now = _children(server.process.pid)
        if len(now) == 2 and before[0] not in now:
            break
        time.sleep(0.1)
    time.sleep(1.0)  # the new worker warms its pool and listens again
    results = load.finish()
    assert len(_children(server.process.pid)) == 2
    after_kill = [outcome for sent, _, outcome in results if sent > killed_at]
    assert after_kill.count(200) > 20, "the surviving worker kept answering during the restart"
    failures = [outcome for _, _, outcome in results if outcome != 200]
    assert len(failures) <= 16, failures  # only connections caught on the killed worker
    statuses = [_get(server, f"/after{i}") for i in range(60)]
    assert statuses == [200] * 60


@pytest.mark.parametrize("workers", ["1", "2"])
def test_sigterm_under_load_drains_in_flight_and_refuses_new_ones_cleanly(serve, backend, workers) -> None:
    if backend == "threads" and workers == "2":
        pytest.skip("one multi-process run is enough")
    server = serve(HANDLER, "--backend", backend, "--workers", workers, "-n", "4", "-q")
    load = Load(server, "/slow", threads=6)
    time.sleep(1.0)
    term_at = time.monotonic()
    server.process.send_signal(signal.SIGTERM)
    exit_code = server.process.wait(15)
    exited_after = time.monotonic() - term_at
    results = load.finish()
    assert exit_code == 0
    assert exited_after < 10, "drained within the drain timeout"
    in_flight = [outcome for sent, _, outcome in results if sent < term_at - 0.05]
    assert in_flight and all(outcome == 200 for outcome in in_flight), in_flight
    late = [outcome for sent, _, outcome in results if sent > term_at + 0.05]
    assert all(
        outcome == 200
        or outcome
        in ("ConnectionRefusedError", "ConnectionResetError", "RemoteDisconnected", "BadStatusLine")
        for outcome in late
    ), late
    # nothing hung: every attempt ended within the drain window
    assert all(ended - sent < 12 for sent, ended, _ in results)


def test_unusable_sqlite_file_is_a_clear_error_and_the_server_stays_up(serve, tmp_path) -> None:
    source = (
        'import { sql, sqlOne, sqlExec } from "zigttp:sql";\n'
        'sql("one", "SELECT 1 AS one");\n'
        'sql("put", "CREATE TABLE t (x)");\n'
        "function handler(req) {\n"
        "  if (req.path === '/ok') return Response.json({ok: true});\n"
        "  return Response.json(req.path === '/write' ? sqlExec('put') : sqlOne('one'));\n}\n"
    )
    server = serve(source, "-n", "2", "--sqlite", str(tmp_path / "no" / "such" / "dir" / "app.db"))
    for path in ("/read", "/write", "/read"):
        response = server.get(path)
        assert response.status_code == 200
        body = response.json()
        assert body["ok"] is False and "unable to open database file" in body["error"]["message"]
    assert server.get("/ok").json() == {"ok": True}
    assert "Traceback" not in server.stderr


def test_unwritable_trace_file_is_a_clear_usage_error(tmp_path) -> None:
    from tests.conftest import run_zigttp

    handler = tmp_path / "t.js"
    handler.write_text("function handler() { return Response.json({ok: true}); }\n")
    result = run_zigttp("serve", str(handler), "-p", "0", "--trace", str(tmp_path / "no" / "dir" / "t.jsonl"))
    assert result.returncode == 2
    assert "cannot write trace file" in result.stderr and "Traceback" not in result.stderr


def test_trace_on_a_full_disk_is_reported_and_requests_still_succeed(serve) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full (Linux) to simulate a full disk")
    server = serve(
        "function handler() { return Response.json({ok: true}); }", "-n", "1", "--trace", "/dev/full"
    )
    assert [server.get(f"/{i}").status_code for i in range(5)] == [200] * 5
    server.wait_for_log("No space left on device")
    assert "Traceback" not in server.stderr
