"""SIGTERM/SIGINT drain, and `--workers N` pre-forked processes sharing one port."""

from __future__ import annotations

import concurrent.futures
import os
import signal
import time

import pytest

SLOW = r"""
function handler(req) {
  if (req.path === "/slow") { const end = Date.now() + 800; while (Date.now() < end) {} }
  return Response.json({ok: true});
}
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_drains_in_flight_requests_then_exits_0(serve, backend, sig) -> None:
    server = serve(SLOW, "--backend", backend)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        in_flight = pool.submit(server.get, "/slow")
        time.sleep(0.3)
        server.process.send_signal(sig)
        assert in_flight.result().status_code == 200
    assert server.process.wait(10) == 0


def test_workers_share_the_port_and_all_answer(serve) -> None:
    server = serve(SLOW, "--workers", "2", "-n", "2")
    assert "workers 2" in server.banner
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda _: server.get("/").status_code, range(40)))
    assert statuses == [200] * 40
    workers = {line.split("-")[0] for line in server.stderr.splitlines() if "-> 200" in line}
    assert workers <= {"[1", "[2"}


def test_sigterm_stops_every_worker_with_exit_0(serve) -> None:
    server = serve(SLOW, "--workers", "2", "-n", "1")
    assert server.get("/").status_code == 200
    assert server.stop() == 0


def test_a_killed_worker_is_restarted(serve) -> None:
    import subprocess

    server = serve(SLOW, "--workers", "2", "-n", "1")
    children = subprocess.run(
        ["pgrep", "-P", str(server.process.pid)], capture_output=True, text=True
    ).stdout.split()
    assert len(children) == 2
    os.kill(int(children[0]), signal.SIGKILL)
    server.wait_for_log("died (signal 9); restarting")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        now = subprocess.run(
            ["pgrep", "-P", str(server.process.pid)], capture_output=True, text=True
        ).stdout.split()
        if len(now) == 2 and children[0] not in now:
            break
        time.sleep(0.1)
    assert len(now) == 2
    assert all(server.get("/").status_code == 200 for _ in range(10))


@pytest.mark.parametrize("first_workers", ["1", "2"])
def test_a_second_server_on_a_busy_port_fails_with_port_in_use(serve, first_workers) -> None:
    # SO_REUSEPORT used to let a second default (multi-worker) server join the first one's
    # port silently and take a share of its requests; it must fail as `-w 1` does.
    first = serve(SLOW, "--workers", first_workers, "-n", "1")
    import subprocess

    from tests.conftest import run_zigttp

    handler = first.process.args[first.process.args.index("serve") + 3]
    try:
        second = run_zigttp(
            "serve", handler, "--port", str(first.port), "--workers", "2", "-n", "1", timeout=30
        )
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"the second server kept running:\n{exc.stdout}") from None
    assert second.returncode == 1, second.stdout + second.stderr
    assert "Listening on" not in second.stdout
    assert f"cannot listen on 127.0.0.1:{first.port}: port in use" in second.stderr
    assert second.stderr.count("port in use") == 1
    assert all(first.get("/").status_code == 200 for _ in range(10))


def test_one_servers_own_workers_share_its_port(serve) -> None:
    server = serve(SLOW, "--workers", "3", "-n", "1")
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        assert list(pool.map(lambda _: server.get("/").status_code, range(30))) == [200] * 30


def test_a_load_error_is_printed_once_whatever_the_worker_count(tmp_path) -> None:
    from tests.conftest import run_zigttp

    path = tmp_path / "bad.js"
    path.write_text('throw new Error("boom at load");\nfunction handler(r) { return "x"; }\n')
    result = run_zigttp("serve", str(path), "--port", "0", "--workers", "3", "-n", "1", timeout=60)
    assert result.returncode == 1
    assert result.stderr.count("failed to load") == 1, result.stderr
    assert "boom at load" in result.stderr and f"{path}:1:" in result.stderr
    assert "worker failed to start" not in result.stderr  # (the bare pid line)
