"""The inline lane's per-iteration batch: order, isolation between connections, close and faults.

After its probation (32 fast runs on the pool threads) a handler runs on the event-loop thread,
and the requests complete in one loop iteration run back to back before any answer is written
(`server/loop_backend.py`). These tests warm the lane, check through `/_zigttp/metrics` that it
is in use, then drive pipelined and concurrent requests through it.
"""

from __future__ import annotations

import re
import socket
import threading

import pytest

from tests.conftest import read_all

HANDLER = r"""
function handler(req) {
  if (req.path === "/boom") throw new Error("boom at " + req.query.n);
  return Response.json({path: req.path, n: req.query.n, who: req.headers.get("x-who")});
}
"""
WARM_UP = 40  # > the lane's probation
MAX_WARM_UP = 400  # a busy host can fail probation runs (over the lane's budget): they start over


def _inline_runs(server) -> float:
    text = server.get("/_zigttp/metrics").text
    line = next(x for x in text.splitlines() if x.startswith("zigttp_pool_inline_executions_total "))
    return float(line.split()[1])


@pytest.fixture
def warm(serve):
    server = serve(HANDLER, "-n", "2", "-q", "--metrics")
    for index in range(MAX_WARM_UP):
        before = _inline_runs(server) if index >= WARM_UP else None
        assert server.get(f"/warm?n={index}").status_code == 200
        if before is not None and _inline_runs(server) > before:
            return server
    raise AssertionError("the handler should run inline after its probation")


def test_pipelined_requests_on_the_inline_lane_come_back_in_order(warm) -> None:
    burst = b"".join(f"GET /p?n={i} HTTP/1.1\r\nHost: x\r\n\r\n".encode() for i in range(25))
    raw = warm.raw(burst + b"GET /p?n=last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    bodies = [part.split(b"\r\n\r\n", 1)[1] for part in raw.split(b"HTTP/1.1 200 OK")[1:]]
    assert [body.split(b'"n":')[1].split(b",")[0] for body in bodies] == [
        *(str(i).encode() for i in range(25)),
        b'"last"',
    ]


def test_concurrent_connections_in_one_batch_get_their_own_answers(warm) -> None:
    sockets = [warm.connect() for _ in range(40)]
    try:
        for index, sock in enumerate(sockets):  # all requests first: they share loop iterations
            sock.sendall(
                f"GET /c?n={index} HTTP/1.1\r\nHost: x\r\nX-Who: client-{index}\r\n"
                f"Connection: close\r\n\r\n".encode()
            )
        answers = [read_all(sock) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()
    for index, raw in enumerate(answers):
        assert raw.startswith(b"HTTP/1.1 200 OK"), raw[:80]
        assert f'"n":{index},"who":"client-{index}"'.encode() in raw


def test_connection_close_mid_pipeline_stops_the_connection_there(warm) -> None:
    raw = warm.raw(
        b"GET /a?n=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /b?n=2 HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    assert raw.count(b"HTTP/1.1 200 OK") == 1 and b'"/a"' in raw and b'"/b"' not in raw


def test_a_throw_in_the_batch_is_a_500_for_that_request_only(warm) -> None:
    raw = warm.raw(
        b"GET /ok?n=1 HTTP/1.1\r\nHost: x\r\n\r\nGET /boom?n=2 HTTP/1.1\r\nHost: x\r\n\r\n"
        b"GET /ok?n=3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    assert re.findall(rb"HTTP/1\.1 (\d{3}) ", raw) == [b"200", b"500", b"200"]
    assert b"boom at 2" in raw


def test_many_clients_at_once_all_get_answers(warm) -> None:
    failures: list[str] = []

    def client(index: int) -> None:
        try:
            for round_ in range(20):
                reply = warm.get(f"/m?n={index}", headers={"x-who": f"{index}-{round_}"})
                if reply.json() != {"path": "/m", "n": index, "who": f"{index}-{round_}"}:
                    failures.append(reply.text)
        except Exception as exc:  # collected and asserted below
            failures.append(repr(exc))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures, failures[:3]


@pytest.mark.parametrize(
    ("lane", "extra"),
    [
        ("0", b""),  # the Python protocol path
        # the C lane: a repeated field makes the request not plain, so C hands it to Python
        ("1", b"X-A: 1\r\nX-A: 2\r\n"),
    ],
    ids=["python-path", "c-lane"],
)
def test_a_bug_while_answering_fails_only_that_connection(
    capfd, monkeypatch, lane: str, extra: bytes
) -> None:
    # A zigttp bug (here: a dispatcher that raises for one path) must not hang the other
    # connections of the same batch: that connection gets a 500 and closes, loudly on stderr.
    import requests

    import zigttp

    monkeypatch.setenv("ZIGTTP_LANE", lane)
    with zigttp.Server(HANDLER, zigttp.ServerConfig(port=0, pool_size=2, quiet=True)) as server:
        for index in range(MAX_WARM_UP):
            if index >= WARM_UP and server.dispatcher.pool.lanes.inline_allowed("/bug"):
                break
            requests.get(f"{server.url}/warm?n={index}", timeout=5)
        dispatcher = server.dispatcher
        assert dispatcher.pool.lanes.inline_allowed("/bug"), (
            "the handler should run inline after its probation"
        )
        healthy = dispatcher.handle_inline

        def buggy(request):  # type: ignore[no-untyped-def]
            if request.url.startswith("/bug"):
                raise RuntimeError("injected bug")
            return healthy(request)

        dispatcher.handle_inline = buggy  # type: ignore[method-assign]
        with (
            socket.create_connection(("127.0.0.1", server.port)) as bad,
            socket.create_connection(("127.0.0.1", server.port)) as good,
        ):
            bad.sendall(b"GET /bug HTTP/1.1\r\nHost: x\r\n" + extra + b"\r\n")
            good.sendall(b"GET /fine?n=7 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            bad.settimeout(5)
            good.settimeout(5)
            assert read_all(bad).startswith(b"HTTP/1.1 500 ")
            assert b'"n":7' in read_all(good)
    assert "injected bug" in capfd.readouterr().err
