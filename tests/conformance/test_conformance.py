"""Request/response semantics, limits and failures: identical under every host (see conftest)."""

from __future__ import annotations

import socket
import threading
from urllib.parse import urlsplit

import requests

from tests.conformance.conftest import Host
from tests.conftest import read_all


def get(host: Host, path: str, **kwargs: object) -> requests.Response:
    return requests.get(host.url + path, timeout=10, allow_redirects=False, **kwargs)  # type: ignore[arg-type]


def test_json_response(host: Host) -> None:
    response = get(host, "/json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"ok": True}


def test_request_fields_reach_the_handler(host: Host) -> None:
    response = requests.post(
        host.url + "/echo?id=7&name=a%20b",
        data=b'{"x":1}',
        timeout=10,
        headers={"Content-Type": "application/json", "X-Agent": "conf"},
    )
    assert response.json() == {
        "method": "POST",
        "path": "/echo",
        "query": {"id": 7, "name": "a b"},
        "body": '{"x":1}',
        "type": "application/json",
        "agent": "conf",
    }


def test_status_and_custom_headers(host: Host) -> None:
    response = get(host, "/status")
    assert (response.status_code, response.text, response.headers["x-custom"]) == (201, "created", "yes")


def test_redirect(host: Host) -> None:
    response = get(host, "/redirect")
    assert (response.status_code, response.headers["location"]) == (302, "/json")


def test_binary_body_is_byte_exact(host: Host) -> None:
    response = get(host, "/binary")
    assert response.content == bytes([0, 1, 2, 255])
    assert response.headers["content-length"] == "4"


def test_utf8_text(host: Host) -> None:
    response = get(host, "/unicode")
    assert response.content == "héllo ✓".encode()
    assert response.headers["content-type"] == "text/plain; charset=utf-8"


def test_handler_exception_is_500_with_its_message_then_recovers(host: Host) -> None:
    failed = get(host, "/throw")
    assert (failed.status_code, failed.text) == (500, "conformance boom")
    assert get(host, "/json").status_code == 200


def test_unknown_route_is_the_handlers_404(host: Host) -> None:
    assert get(host, "/nope").status_code == 404


def test_head_has_headers_but_no_body(host: Host) -> None:
    split = urlsplit(host.url)
    with socket.create_connection((split.hostname, split.port), timeout=5) as sock:
        sock.sendall(b"HEAD /json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        raw = read_all(sock)
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    assert b"content-length: 11" in head.lower()
    assert body == b""


def test_request_id_is_echoed(host: Host) -> None:
    assert get(host, "/json", headers={"X-Request-Id": "abc-123"}).headers["x-request-id"] == "abc-123"


def test_body_over_one_mib_is_413(host: Host) -> None:
    response = requests.post(host.url + "/echo", data=b"x" * (1_048_576 + 1), timeout=10)
    assert response.status_code == 413


def test_body_of_exactly_one_mib_is_accepted(host: Host) -> None:
    response = requests.post(host.url + "/echo", data=b"x" * 1_048_576, timeout=10)
    assert response.status_code == 200 and len(response.json()["body"]) == 1_048_576


def test_exhausted_pool_is_503_with_retry_after(host: Host) -> None:
    slow: list[int] = []
    thread = threading.Thread(target=lambda: slow.append(get(host, "/slow").status_code))
    thread.start()
    try:
        for _ in range(50):  # the one runtime is busy for 600 ms; the wait limit is 100 ms
            busy = get(host, "/json")
            if busy.status_code == 503:
                break
        assert busy.status_code == 503
        assert busy.headers["retry-after"] == "1"
    finally:
        thread.join(10)
    assert slow == [200]
    assert get(host, "/json").status_code == 200
