"""Differential fuzz: `_engine.parse_response_head` (native/engine/response_head.c) against httptools.

`zigttp lambda` reads the Runtime API's responses with it (zigttp/aws/runtime_api.py) and hands
httptools whatever it does not take. For every input, random, mutated or valid:

* None (the head goes on) ⇒ httptools, fed the same bytes, neither fails nor completes a head;
* ValueError ⇒ httptools fails before the head is complete;
* a head ⇒ httptools completes one with the same status, the same fields in order (when at most
  64), the same keep-alive verdict at that point and, where the fields give one, the same
  Content-Length; the head's length is where httptools' body starts.

Also run under ASan/UBSan (`make sanitize` includes this file).
"""

from __future__ import annotations

import httptools
from hypothesis import example, given
from hypothesis import strategies as st

from tests.fuzz.test_protocol_fuzz import FUZZ
from zigttp.runtime import _engine

SEEDS = [
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nLambda-Runtime-Aws-Request-Id: 8476a536\r\n"
    b'Lambda-Runtime-Deadline-Ms: 1542409706888\r\nContent-Length: 12\r\n\r\n{"body": 1}\n',
    b'HTTP/1.1 202 Accepted\r\nContent-Length: 16\r\n\r\n{"status":"OK"}',
    b"HTTP/1.0 500 Internal Server Error\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n",
    b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.1 200\r\nA:\r\nB:  spaced  \r\nX-Latin: \xe9t\xe9\r\nContent-Length: 1\r\n\r\nx",
    b"HTTP/1.1 413 Payload Too Large\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
]
TOKENS = [b"\r\n", b":", b" ", b"\t", b"Content-Length: 7", b"Transfer-Encoding: chunked", b"HTTP/1.1 ",
          b"Connection: close", b"\x00", b"\xff", b"0", b"99999999999999999999"]  # fmt: skip


class Seen:
    """What httptools reported up to the end of the head."""

    def __init__(self, parser_box: list[httptools.HttpResponseParser]) -> None:
        self.box = parser_box
        self.fields: list[tuple[str, str]] = []
        self.head: tuple[int, bool] | None = None  # (status, keep_alive) at the head's end
        self.body_started = False

    def on_header(self, name: bytes, value: bytes) -> None:
        if self.head is None:
            self.fields.append((name.decode("latin-1"), value.decode("latin-1")))

    def on_headers_complete(self) -> None:
        if self.head is None:
            parser = self.box[0]
            self.head = (parser.get_status_code(), parser.should_keep_alive())


def httptools_view(data: bytes) -> tuple[Seen, bool]:
    """What httptools saw of `data`, and whether it failed before the head was complete."""
    box: list[httptools.HttpResponseParser] = []
    seen = Seen(box)
    parser = httptools.HttpResponseParser(seen)
    box.append(parser)
    try:
        parser.feed_data(data)
    except httptools.HttpParserError:
        return seen, seen.head is None
    return seen, False


def check(data: bytes) -> None:
    seen, failed_in_head = httptools_view(data)
    try:
        head = _engine.parse_response_head(data)
    except ValueError:
        assert failed_in_head, (data, seen.head)
        return
    if head is None:
        assert seen.head is None and not failed_in_head, data
        return
    length, status, fields, content_length, chunked, keep_alive, crowded = head
    assert seen.head is not None, data
    assert 0 < length <= len(data) and data[:length].endswith(b"\n")
    assert (status, keep_alive) == seen.head, (data, head, seen.head)
    assert crowded == (len(seen.fields) > 64)
    if not crowded:
        assert fields == seen.fields, data
        lengths = {int(value.strip()) for name, value in fields if name.lower() == "content-length"}
        if content_length >= 0:
            assert lengths == {content_length}, (data, lengths)  # (llhttp refuses two that differ)
        if chunked:
            assert any(name.lower() == "transfer-encoding" for name, _ in fields)


@st.composite
def mutated_responses(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "flip"]))
        if action == "insert":
            data[at:at] = draw(st.sampled_from(TOKENS) | st.binary(max_size=8))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 12))]
        elif data:
            data[min(at, len(data) - 1)] ^= 1 << draw(st.integers(0, 7))
    return bytes(data)


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    check(data)


@FUZZ
@given(mutated_responses())
def test_mutated_responses(data: bytes) -> None:
    check(data)


@FUZZ
@given(st.sampled_from(SEEDS), st.integers(0, 200))
@example(SEEDS[0], 0)
def test_every_prefix_of_a_valid_response(seed: bytes, cut: int) -> None:
    check(seed[:cut])


def test_more_than_64_fields_are_left_to_httptools() -> None:
    head = (
        b"HTTP/1.1 200 OK\r\n"
        + b"".join(b"X-%d: v\r\n" % i for i in range(70))
        + b"Content-Length: 0\r\n\r\n"
    )
    parsed = _engine.parse_response_head(head)
    assert parsed is not None and parsed[-1] is True  # crowded: the caller asks httptools
    check(head)
