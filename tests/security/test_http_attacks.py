"""Hostile HTTP on both backends: every attack gets the right status (or a close), and then the
server answers the next good request. Cases are raw bytes (uvicorn style); statuses follow RFC
9112 (framing, Host, versions) and the limits in `zigttp.server.protocol`.
"""

from __future__ import annotations

import select
import socket
import statistics
import time

import pytest

from tests.security.rawhttp import assert_serves_next, exchange, statuses

H = b"Host: x\r\n"
CHUNKED = b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"

# Request smuggling: any ambiguity in where a body ends is refused (RFC 9112 §6).
SMUGGLING = {
    "cl-and-te": b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "te-and-cl": b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n",
    "duplicate-cl-same": b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 4\r\n\r\nabcd",
    "duplicate-cl-different": b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde",
    "cl-list": b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4, 4\r\n\r\nabcd",
    "cl-plus-sign": b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +4\r\n\r\nabcd",
    "cl-negative": b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
    "cl-hex": b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0x4\r\n\r\nabcd",
    "cl-trailing-space": b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4 \r\n\r\nabcd",
    "cl-overflow": b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999999\r\n\r\n",
    "cl-unicode-digit": "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \u0664\r\n\r\nabcd".encode(),
    "obs-fold-space": b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n  folded\r\n\r\n",
    "obs-fold-tab": b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n\tfolded\r\n\r\n",
    "bare-lf-request-line": b"GET / HTTP/1.1\nHost: x\n\n",
    "bare-lf-header": b"GET / HTTP/1.1\r\nHost: x\nX: y\r\n\r\n",
    "bare-cr": b"GET / HTTP/1.1\rHost: x\r\n\r\n",
    "chunk-size-not-hex": CHUNKED + b"zz\r\n",
    "chunk-size-negative": CHUNKED + b"-1\r\n",
    "chunk-size-overflow": CHUNKED + b"ffffffffffffffffff\r\n",
    "chunk-size-trailing-space": CHUNKED + b"4 \r\nabcd\r\n0\r\n\r\n",
    "chunk-data-missing-crlf": CHUNKED + b"4\r\nabcdXX0\r\n\r\n",
    "chunk-extension-nul": CHUNKED + b"4;\x00\r\nabcd\r\n0\r\n\r\n",
    "trailer-content-length": CHUNKED + b"4\r\nabcd\r\n0\r\nContent-Length: 50\r\n\r\n",
    "te-chunked-not-last": b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n",
    "te-identity": b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\nabc",
    "te-duplicate": b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "te-space-before-colon": b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
    "te-xchunked": b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
    "te-on-http-1.0": b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "two-hosts": b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    "no-host-http-1.1": b"GET / HTTP/1.1\r\n\r\n",
}

MALFORMED = {
    "space-before-colon": b"GET / HTTP/1.1\r\nHost : x\r\n\r\n",
    "header-without-colon": b"GET / HTTP/1.1\r\nHost x\r\n\r\n",
    "empty-header-name": b"GET / HTTP/1.1\r\n: x\r\n\r\n",
    "nul-in-header-value": b"GET / HTTP/1.1\r\nHost: x\r\nX: a\x00b\r\n\r\n",
    "control-in-header-value": b"GET / HTTP/1.1\r\nHost: x\r\nX: a\x01b\r\n\r\n",
    "leading-whitespace-header": b"GET / HTTP/1.1\r\n Host: x\r\n\r\n",
    "non-ascii-header-name": "GET / HTTP/1.1\r\nHost: x\r\nX\u00e9: a\r\n\r\n".encode(),
    "non-ascii-target": "GET /caf\u00e9 HTTP/1.1\r\nHost: x\r\n\r\n".encode(),
    "high-bytes-target": b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
    "space-in-target": b"GET /a b HTTP/1.1\r\nHost: x\r\n\r\n",
    "nul-in-target": b"GET /a\x00b HTTP/1.1\r\nHost: x\r\n\r\n",
    "asterisk-target-on-get": b"GET * HTTP/1.1\r\nHost: x\r\n\r\n",
    "authority-target-on-get": b"GET x:80 HTTP/1.1\r\nHost: x\r\n\r\n",
    "relative-target": b"GET abc HTTP/1.1\r\nHost: x\r\n\r\n",
    "empty-target": b"GET  HTTP/1.1\r\nHost: x\r\n\r\n",
    "unknown-method": b"FOO / HTTP/1.1\r\nHost: x\r\n\r\n",
    "lower-case-method": b"get / HTTP/1.1\r\nHost: x\r\n\r\n",
    "bad-version-1.2": b"GET / HTTP/1.2\r\nHost: x\r\n\r\n",
    "bad-version-9.9": b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
    "http2-preface": b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    "tls-client-hello": b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + bytes(range(32)),
    "binary-garbage": bytes(range(256)),
    "only-crlf": b"\r\n" * 10 + b"\x00",
    "five-empty-lines-before-request": b"\r\n" * 5 + b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
    "nine-bare-lf-before-request": b"\n" * 9 + b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
}

UNSUPPORTED = {
    "te-gzip-chunked": (
        501,
        b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
    ),
    "method-propfind": (501, b"PROPFIND / HTTP/1.1\r\nHost: x\r\n\r\n"),
    "method-connect": (501, b"CONNECT x:443 HTTP/1.1\r\nHost: x\r\n\r\n"),
    "http-0.9": (505, b"GET /\r\n\r\n"),
    "http-2.0-text": (505, b"GET / HTTP/2.0\r\nHost: x\r\n\r\n"),
}

OVERSIZED = {
    "request-line-9000": (414, b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
    "header-value-70k": (431, b"GET / HTTP/1.1\r\nHost: x\r\nX: " + b"a" * 70000 + b"\r\n\r\n"),
    "header-name-70k": (431, b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X" * 70000 + b": 1\r\n\r\n"),
    "unterminated-header-70k": (431, b"GET / HTTP/1.1\r\nHost: x\r\nX: " + b"a" * 70000),
    "101-headers": (
        431,
        b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(100)) + b"\r\n",
    ),
    "many-headers-over-64k": (
        431,
        b"GET / HTTP/1.1\r\nHost: x\r\n"
        + b"".join(b"Y%02d: " % i + b"c" * 700 + b"\r\n" for i in range(95))
        + b"\r\n",
    ),
    "content-length-over-cap": (413, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1048577\r\n\r\n"),
}


def _refused(server, raw: bytes, status: int) -> None:
    data, closed = exchange(server.host, server.port, raw)
    assert statuses(data) == [status], data[:200]
    assert b"connection: close" in data.lower()
    assert closed, "the connection must close after a refused request"
    assert_serves_next(server)


@pytest.mark.parametrize("name", list(SMUGGLING))
def test_smuggling_attempts_are_400_and_close(attack_server, name: str) -> None:
    _refused(attack_server, SMUGGLING[name], 400)


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_requests_are_400_and_close(attack_server, name: str) -> None:
    _refused(attack_server, MALFORMED[name], 400)


@pytest.mark.parametrize("name", list(UNSUPPORTED))
def test_unsupported_features_are_501_or_505(attack_server, name: str) -> None:
    status, raw = UNSUPPORTED[name]
    _refused(attack_server, raw, status)


@pytest.mark.parametrize("name", list(OVERSIZED))
def test_oversized_requests_get_their_limit_status(attack_server, name: str) -> None:
    status, raw = OVERSIZED[name]
    _refused(attack_server, raw, status)


def test_oversized_head_trickled_in_pieces_is_431(attack_server) -> None:
    with socket.create_connection((attack_server.host, attack_server.port), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX: ")
        try:
            for _ in range(40):
                sock.sendall(b"a" * 2048)
        except OSError:
            pass
        data = sock.recv(65536)
    assert data.startswith(b"HTTP/1.1 431")
    assert_serves_next(attack_server)


def _json_body(raw: bytes) -> bytes:
    return raw.partition(b"\r\n\r\n")[2]


ACCEPTED = {
    "chunk-extension": (
        CHUNKED[:-2] + b"Connection: close\r\n\r\n4;foo=bar\r\nabcd\r\n0\r\n\r\n",
        b'"body":"abcd"',
    ),
    "absolute-form-target": (
        b"GET http://x/abs?q=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b'"p":"/abs?q=1"',
    ),
    "options-asterisk": (b"OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", b'"p":"*"'),
    "leading-empty-lines": (
        b"\r\n\r\nGET /lead HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b'"p":"/lead"',
    ),
    "four-leading-empty-lines": (
        b"\r\n" * 4 + b"GET /four HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b'"p":"/four"',
    ),
    "url-of-8190-bytes": (
        b"GET /" + b"a" * 8189 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b'"m":"GET"',
    ),
    "100-headers": (
        b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        + b"".join(b"X-%d: 1\r\n" % i for i in range(98))
        + b"\r\n",
        b'"x-97":"1"',
    ),
    "non-ascii-header-value-is-latin-1": (
        "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX: h\u00e9\r\n\r\n".encode(),
        '"x":"h\u00c3\u00a9"'.encode(),
    ),
    "traversal-target-reaches-handler-verbatim": (
        b"GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b'"p":"/../../etc/passwd"',
    ),
}


@pytest.mark.parametrize("name", list(ACCEPTED))
def test_unusual_but_valid_requests_reach_the_handler(attack_server, name: str) -> None:
    raw, needle = ACCEPTED[name]
    data, closed = exchange(attack_server.host, attack_server.port, raw)
    assert statuses(data) == [200] and closed, data[:200]
    assert needle in _json_body(data)


def test_trailer_fields_are_not_shown_to_the_handler(attack_server) -> None:
    raw = CHUNKED[:-2] + b"Connection: close\r\n\r\n4\r\nabcd\r\n0\r\nX-Trailer: sneaky\r\n\r\n"
    data, _ = exchange(attack_server.host, attack_server.port, raw)
    assert statuses(data) == [200] and b'"body":"abcd"' in data
    assert b"sneaky" not in data and b"x-trailer" not in data


@pytest.mark.parametrize("upgrade", [b"websocket", b"h2c"])
def test_upgrade_is_ignored_answered_over_http_1_1_then_closed(attack_server, upgrade: bytes) -> None:
    raw = (
        b"GET /up HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: "
        + upgrade
        + b"\r\n\r\nGET /after-upgrade HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    data, closed = exchange(attack_server.host, attack_server.port, raw)
    assert statuses(data) == [200] and closed
    assert b"connection: close" in data.lower() and b"after-upgrade" not in data


def test_http_1_0_is_answered_and_closed(attack_server) -> None:
    data, closed = exchange(attack_server.host, attack_server.port, b"GET /old HTTP/1.0\r\n\r\n")
    assert statuses(data) == [200] and closed
    assert b"connection: close" in data.lower()


# -- Expect: 100-continue -------------------------------------------------------------------------
def test_expect_within_the_cap_gets_100_then_the_response(attack_server) -> None:
    with socket.create_connection((attack_server.host, attack_server.port), timeout=5) as sock:
        sock.sendall(
            b"POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n"
            b"Connection: close\r\n\r\n"
        )
        assert sock.recv(1024) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(b"data")
        final = sock.recv(65536)
    assert statuses(final) == [200] and b'"body":"data"' in final


def test_expect_over_the_cap_is_413_without_a_100(attack_server) -> None:
    raw = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\nExpect: 100-continue\r\n\r\n"
    data, closed = exchange(attack_server.host, attack_server.port, raw)
    assert statuses(data) == [413] and closed
    assert b"100 Continue" not in data
    assert_serves_next(attack_server)


def test_expect_on_http_1_0_is_ignored(attack_server) -> None:
    with socket.create_connection((attack_server.host, attack_server.port), timeout=5) as sock:
        sock.sendall(b"POST / HTTP/1.0\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
        readable, _, _ = select.select([sock], [], [], 0.5)
        assert not readable, "no 100 (nor anything else) before the body"
        sock.sendall(b"ab")
        data = sock.recv(65536)
    assert statuses(data) == [200]


def test_100_never_overtakes_an_earlier_pipelined_response(attack_server) -> None:
    with socket.create_connection((attack_server.host, attack_server.port), timeout=5) as sock:
        sock.sendall(
            b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
            b"POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n"
            b"Connection: close\r\n\r\n"
        )
        data = b""
        while b"100 Continue" not in data:
            data += sock.recv(65536)
        sock.sendall(b"ok")
        while chunk := sock.recv(65536):
            data += chunk
    first_200 = data.find(b"HTTP/1.1 200")
    assert 0 == first_200 < data.find(b"HTTP/1.1 100 Continue")
    assert data.count(b"HTTP/1.1 200") == 2


# -- pipelining and errors ---------------------------------------------------------------------------
SMUGGLED = b"GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
PIPELINED_ERRORS = {
    "bad-request-between-good-ones": (
        b"GET /1 HTTP/1.1\r\nHost: x\r\n\r\nBAD\r\n\r\nGET /3 HTTP/1.1\r\nHost: x\r\n\r\n",
        [200, 400],
    ),
    "oversized-after-good": (
        b"GET /1 HTTP/1.1\r\nHost: x\r\n\r\nPOST / HTTP/1.1\r\nHost: x\r\n"
        b"Content-Length: 9999999\r\n\r\nGET /3 HTTP/1.1\r\nHost: x\r\n\r\n",
        [200, 413],
    ),
    "smuggle-after-two-good": (
        b"GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
        [200, 200, 400],
    ),
    "error-first-then-good": (b"BAD\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n", [400]),
    "smuggled-request-inside-a-body": (
        b"POST /1 HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%sBAD\r\n\r\n" % (len(SMUGGLED), SMUGGLED),
        [200, 400],
    ),
}


@pytest.mark.parametrize("name", list(PIPELINED_ERRORS))
def test_pipelined_good_requests_are_answered_before_the_error_then_close(attack_server, name: str) -> None:
    raw, expected = PIPELINED_ERRORS[name]
    data, closed = exchange(attack_server.host, attack_server.port, raw)
    assert statuses(data) == expected, data[:300]
    assert closed and b"/3" not in data and b'"p":"/smuggled"' not in data
    assert_serves_next(attack_server)


# -- slowloris and connection bounds ----------------------------------------------------------------
def _trickle(socks: list[socket.socket], seconds: float) -> dict[socket.socket, bytes]:
    """Send one header byte per connection every 50 ms until each is answered or closed."""
    payload = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 1000
    sent = dict.fromkeys(socks, 0)
    answers: dict[socket.socket, bytes] = {}
    deadline = time.monotonic() + seconds
    while len(answers) < len(socks) and time.monotonic() < deadline:
        for sock in socks:
            if sock in answers:
                continue
            if select.select([sock], [], [], 0)[0]:
                try:
                    answers[sock] = sock.recv(65536)
                except OSError:
                    answers[sock] = b""
                continue
            try:
                sock.send(payload[sent[sock] : sent[sock] + 1])
                sent[sock] += 1
            except OSError:
                answers[sock] = b""
        time.sleep(0.05)
    return answers


def _fresh_request_ms(server) -> float:
    started = time.perf_counter()
    data, _ = exchange(
        server.host, server.port, b"GET /fresh HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    assert statuses(data) == [200]
    return (time.perf_counter() - started) * 1000


def test_slowloris_connections_are_cut_and_fresh_clients_are_served(serve, backend) -> None:
    from tests.security.rawhttp import ECHO

    server = serve(ECHO, "-n", "2", "-q", "--backend", backend, "--header-timeout", "1")
    socks = [socket.create_connection((server.host, server.port), timeout=5) for _ in range(60)]
    try:
        for sock in socks:
            sock.setblocking(False)
        started = time.monotonic()
        samples: list[float] = []
        import threading

        done = threading.Event()

        def measure() -> None:
            while not done.is_set() and len(samples) < 20:
                samples.append(_fresh_request_ms(server))
                time.sleep(0.03)

        meter = threading.Thread(target=measure)
        meter.start()
        answers = _trickle(socks, seconds=6)
        done.set()
        meter.join()
        elapsed = time.monotonic() - started
    finally:
        for sock in socks:
            sock.close()
    assert len(answers) == len(socks), "every slow connection is cut"
    assert all(a == b"" or a.startswith(b"HTTP/1.1 408") for a in answers.values())
    assert elapsed < 4, f"cut at the 1 s header timeout, took {elapsed:.1f}s"
    assert len(samples) >= 5 and statistics.median(samples) < 100, samples
    assert_serves_next(server)


def test_empty_lines_before_the_request_line_run_the_header_timer(serve, backend) -> None:
    # A bare CRLF every 0.7 s used to re-arm the idle timer (5 s) forever; the empty lines now
    # start the head, so the 1 s header deadline cuts the connection before the request line.
    from tests.security.rawhttp import ECHO

    server = serve(ECHO, "-q", "--backend", backend, "--header-timeout", "1")
    with socket.create_connection((server.host, server.port), timeout=5) as sock:
        answer = b""
        try:
            for _ in range(3):
                sock.sendall(b"\r\n")
                if select.select([sock], [], [], 0.7)[0]:
                    break
            sock.sendall(b"GET /late HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        except OSError:
            pass
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except (TimeoutError, ConnectionResetError):
            pass
    assert statuses(answer) == [408], answer[:200]
    assert_serves_next(server)


def test_connections_over_max_connections_get_503_and_close(serve, backend) -> None:
    from tests.security.rawhttp import ECHO

    server = serve(ECHO, "-n", "2", "-q", "--backend", backend, "--max-connections", "4")
    held = [socket.create_connection((server.host, server.port), timeout=5) for _ in range(4)]
    try:
        time.sleep(0.2)
        for _ in range(3):
            data, closed = exchange(server.host, server.port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            assert statuses(data) == [503] and closed, data[:120]
            assert b"too many connections" in data
    finally:
        for sock in held:
            sock.close()
    time.sleep(1.2)  # refused connections linger up to 1 s on the loop backend
    assert_serves_next(server)
