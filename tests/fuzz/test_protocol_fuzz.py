"""Property tests of the sans-I/O request reader (h11's fuzz invariants).

1. Random bytes and mutated valid requests never raise anything but `ProtocolError`.
2. Feeding the same bytes in random pieces gives exactly the result of feeding them whole:
   the same requests, then the same error status (or none).

Runs briefly in CI (`ZIGTTP_FUZZ_EXAMPLES`, default 150 per property); `fuzz/` has an atheris
harness for long runs (docs/fuzzing.md).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zigttp.server.protocol import parse_chunks

EXAMPLES = int(os.environ.get("ZIGTTP_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MAX_BODY = 4096
MAX_HEAD = 2048

SEEDS = [
    b"GET /path?q=1 HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n",
    b"POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
    b"POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nT: 1\r\n\r\n",
    b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    b"PUT /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok",
    b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET http://h/abs HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n",
    b"GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /d HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /e HTTP/1.0\r\n\r\nGET /f HTTP/1.0\r\n\r\n",
]
TOKENS = [
    b"\r\n",
    b"\n",
    b"\r",
    b"\x00",
    b" ",
    b"\t",
    b":",
    b";",
    b",",
    b"0",
    b"ffffffff",
    b"-1",
    b"Content-Length: 3\r\n",
    b"Transfer-Encoding: chunked\r\n",
    b"Host: y\r\n",
    b"\r\n\r\n",
    b"HTTP/1.1",
    b"HTTP/2.0",
    b"\xff",
    b"\x80",
    b"A" * 3000,
    b"Expect: 100-continue\r\n",
]


def parse(chunks: list[bytes], *, plain: bool = True) -> tuple[list[tuple[object, ...]], int | None]:
    """Feed chunks until the first error: (requests, error status or None). `plain=False`:
    httptools reads everything (else whole plain requests are read in C, see protocol.py)."""
    found, status = parse_chunks(chunks, MAX_BODY, MAX_HEAD, plain=plain)
    requests = [
        (r.method, r.url, r.headers, r.body, r.keep_alive, r.http_version, r.expect_continue) for r in found
    ]
    return requests, status


@st.composite
def mutated_requests(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "flip", "repeat"]))
        if action == "insert":
            data[at:at] = draw(st.sampled_from(TOKENS) | st.binary(max_size=8))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 12))]
        elif action == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 40))]
    return bytes(data)


@st.composite
def splits(draw: st.DrawFn, data: bytes) -> list[bytes]:
    cuts = sorted(draw(st.lists(st.integers(0, len(data)), max_size=12)))
    pieces, last = [], 0
    for cut in [*cuts, len(data)]:
        pieces.append(data[last:cut])
        last = cut
    return pieces


@FUZZ
@given(st.binary(max_size=600))
def test_random_bytes_raise_only_protocol_errors(data: bytes) -> None:
    parse([data])


@FUZZ
@given(mutated_requests())
def test_mutated_requests_raise_only_protocol_errors(data: bytes) -> None:
    parse([data])


@FUZZ
@given(st.data())
def test_feeding_in_pieces_equals_feeding_whole(data: st.DataObject) -> None:
    raw = data.draw(mutated_requests() | st.sampled_from(SEEDS))
    pieces = data.draw(splits(raw))
    assert b"".join(pieces) == raw
    assert parse(pieces) == parse([raw])


@pytest.mark.parametrize(
    "raw",
    [
        b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET / HTTP/1.0\r\n\r\nGET /2 HTTP/1.0\r\n\r\n",
        b"GET / HTTP/1.0\r\n\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\nGET /3 HTT",
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nabGET / HTTP/1.1\r\nHost: x\r\n\r\n",
    ],
)
def test_the_plain_reader_agrees_on_pipelines(raw: bytes) -> None:
    """After a closing request (HTTP/1.0, `Connection: close`) llhttp refuses what follows."""
    assert parse([raw]) == parse([raw], plain=False)


@FUZZ
@given(st.data())
def test_the_plain_reader_reads_what_httptools_reads(data: st.DataObject) -> None:
    """Every field of every request (the HTTP version, which C does not report, included) and
    the refusal are the same whichever reader starts, in any split of the stream."""
    raw = data.draw(mutated_requests() | st.sampled_from(SEEDS) | st.binary(max_size=300))
    pieces = data.draw(splits(raw))
    assert parse(pieces) == parse(pieces, plain=False)
    assert parse([raw]) == parse([raw], plain=False)


@FUZZ
@given(st.data())
def test_valid_pipelines_parse_to_every_request_in_any_split(data: st.DataObject) -> None:
    seeds = data.draw(st.lists(st.sampled_from(SEEDS[:5]), min_size=1, max_size=4))
    raw = b"".join(seeds)
    requests, status = parse(data.draw(splits(raw)))
    assert status is None
    assert len(requests) == len(seeds)


def test_bytes_after_a_closing_request_are_refused_however_they_arrive() -> None:
    """Found by the fuzz above: the plain reader took a second request fed after an HTTP/1.0
    one (which closes the connection) where fed together httptools refuses it."""
    first, second = b"GET /e HTTP/1.0\r\n\r\n", b"GET /f HTTP/1.0\r\n\r\n"
    for chunks in ([first + second], [first, second], [first, b"\r\n", b"X"]):
        requests, refusal = parse_chunks(chunks, MAX_BODY, MAX_HEAD)
        assert ([r.url for r in requests], refusal) == (["/e"], 400), chunks
    assert parse_chunks([first, b"\r\n"], MAX_BODY, MAX_HEAD)[1] is None  # (empty lines: ignored)


def test_a_head_is_refused_at_the_same_place_however_it_arrives() -> None:
    """Found by the fuzz above: a head over its cap was refused 431 when it arrived in two
    reads but 400 (an invalid byte past the cap) or 414 (a long URL) when it came in one."""
    bad_after_cap = b"GET /a HTTP/1.1\r\n" + b"A" * 3000 + b"GET /b HTTP/1.1\r\nHost: x\r\n\r\n"
    long_url = b"GET /" + b"a" * 8300 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    for raw, status in ((bad_after_cap, 431), (long_url, 414)):
        for cut in (1, 2200, 4100, len(raw) - 1):
            assert parse_chunks([raw[:cut], raw[cut:]], MAX_BODY, MAX_HEAD)[1] == status, (raw[:40], cut)
        assert parse_chunks([raw], MAX_BODY, MAX_HEAD)[1] == status
