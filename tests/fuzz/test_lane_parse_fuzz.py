"""Differential fuzz: the C lane's parser (native/engine/lane_parse.c) against protocol.py.

The lane answers a request itself only when its parser calls it "plain"; the equivalence
argument (lane.h) is that a plain request is one the Python reader parses to the same
`Request` and accepts. So for every input, random, mutated or valid, pipelined or not:

* "plain" ⇒ protocol.py reads exactly that one request from those bytes, with no error, and
  the same method, target, headers (lower-case, as the prelude gets them), body and keep-alive;
  and reading the whole stream starts with the same request;
* the lane never claims more bytes than the message (the next request starts there).

"python" and "handover" make no claim: Python's reader decides those as it always did.
Also run under ASan/UBSan (`make sanitize` includes this file).
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.test_protocol_fuzz import FUZZ, MAX_BODY, MAX_HEAD, SEEDS, mutated_requests
from zigttp.runtime import _engine
from zigttp.server.protocol import parse_chunks

PLAIN_SEEDS = [
    *SEEDS,
    b"GET /x HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc\r\nA:\r\nB:  v  \r\n\r\n",
    b"DELETE /d?x=%20 HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
    b"HEAD /h HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
    b"POST /p HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc",
]


def check(data: bytes) -> None:
    verdict = _engine.parse_request(data, MAX_BODY, MAX_HEAD)
    if verdict[0] != "plain":
        assert verdict[0] in ("python", "handover")
        return
    _, consumed, method, url, fields, body, keep_alive = verdict
    assert 0 < consumed <= len(data)
    alone, error = parse_chunks([data[:consumed]], MAX_BODY, MAX_HEAD, plain=False)
    assert error is None and len(alone) == 1, (data, alone, error)
    request = alone[0]
    lane_headers = {name.lower(): value for name, value in fields}
    assert len(lane_headers) == len(fields)  # (a repeated field is never plain)
    assert (request.method, request.url, request.headers, request.body, request.keep_alive) == (
        method,
        url,
        lane_headers,
        body,
        keep_alive,
    )
    stream, _ = parse_chunks([data], MAX_BODY, MAX_HEAD, plain=False)
    assert stream and stream[0].url == url and stream[0].body == body


@FUZZ
@given(st.binary(max_size=600))
def test_random_bytes(data: bytes) -> None:
    check(data)


@FUZZ
@given(mutated_requests())
def test_mutated_requests(data: bytes) -> None:
    check(data)


@FUZZ
@given(st.lists(st.sampled_from(PLAIN_SEEDS), min_size=1, max_size=4))
def test_valid_pipelines_are_read_one_message_at_a_time(seeds: list[bytes]) -> None:
    data = b"".join(seeds)
    while data:
        check(data)
        verdict = _engine.parse_request(data, MAX_BODY, MAX_HEAD)
        if verdict[0] == "handover":
            return
        data = data[verdict[1] :]


def test_the_seeds_that_are_plain() -> None:
    verdicts = [_engine.parse_request(seed, MAX_BODY, MAX_HEAD)[0] for seed in PLAIN_SEEDS]
    # GET, POST with a length, HTTP/1.0 keep-alive, a pipeline's first, two closing requests'
    # pipelines' first; then the extra seeds
    assert verdicts == [
        "plain", "plain", "python", "plain", "python", "plain", "python", "python", "plain", "plain",
        "plain", "plain", "plain", "plain",
    ]  # fmt: skip
    for seed in PLAIN_SEEDS:
        check(seed)
