"""The cached response heads (server/response.serialize) frame every answer like a fresh build:
one cache entry per (status, header block, keep-alive) and second, so the Date moves on."""

from __future__ import annotations

import time

from zigttp.server import response
from zigttp.server.response import serialize


def test_a_cached_head_frames_each_body_with_its_own_length():
    first = serialize(200, b"content-type: text/plain\r\n", b"one", keep_alive=True)
    second = serialize(200, b"content-type: text/plain\r\n", b"three", keep_alive=True)
    assert first.endswith(b"content-length: 3\r\n\r\none")
    assert second.endswith(b"content-length: 5\r\n\r\nthree")
    assert first.startswith(b"HTTP/1.1 200 OK\r\ndate: ")


def test_keep_alive_is_part_of_the_key():
    kept = serialize(200, b"x-a: 1\r\n", b"", keep_alive=True)
    closed = serialize(200, b"x-a: 1\r\n", b"", keep_alive=False)
    assert b"connection: close" not in kept
    assert closed.endswith(b"content-length: 0\r\nconnection: close\r\n\r\n")


def test_statuses_without_a_body_get_no_length_and_no_body():
    assert b"content-length" not in serialize(204, b"", b"ignored", keep_alive=True)
    head = serialize(304, b'etag: "a"\r\n', b"", keep_alive=False)
    assert head.endswith(b'etag: "a"\r\nconnection: close\r\n\r\n')


def test_head_requests_announce_the_length_without_the_body():
    data = serialize(200, b"", b"hello", keep_alive=True, head_request=True)
    assert data.endswith(b"content-length: 5\r\n\r\n")


def test_the_date_moves_on_with_the_clock(monkeypatch):
    now = time.time()
    monkeypatch.setattr(response.time, "time", lambda: now)
    before = serialize(200, b"", b"", keep_alive=True)
    monkeypatch.setattr(response.time, "time", lambda: now + 86400)
    after = serialize(200, b"", b"", keep_alive=True)
    assert before.split(b"\r\n")[1] != after.split(b"\r\n")[1]


def test_the_cache_stays_bounded():
    for index in range(response.MAX_CACHED_HEADS * 2):
        serialize(200, b"x-n: %d\r\n" % index, b"", keep_alive=True)
    assert len(response._heads) <= response.MAX_CACHED_HEADS


def test_the_reason_table_is_the_interpreters_with_the_seeds_two_wordings():
    from http import HTTPStatus

    from zigttp.server.reasons import REASONS

    expected = {status.value: status.phrase for status in HTTPStatus} | {
        413: "Payload Too Large",
        414: "URI Too Long",
    }
    assert expected == REASONS
    assert response.status_line(413) == b"HTTP/1.1 413 Payload Too Large\r\n"
