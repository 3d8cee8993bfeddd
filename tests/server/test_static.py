"""`--static DIR`: real server, real client (http.client keeps `..` and odd targets verbatim)."""

from __future__ import annotations

import gzip
import http.client
import os
from email.utils import formatdate
from pathlib import Path

import pytest

HANDLER = 'function handler(r) { return Response.text("handler " + r.method + " " + r.url); }'
BIG = 300 * 1024  # above the 128 KiB cache limit: streamed


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "public"
    (root / "docs").mkdir(parents=True)
    (root / "index.html").write_text("<h1>home</h1>")
    (root / "app.css").write_text("body { color: red }")
    (root / "app.js").write_text("console.log('plain')")
    (root / "app.js.gz").write_bytes(gzip.compress(b"console.log('plain')"))
    (root / "app.js.br").write_bytes(b"fake-brotli")
    (root / "data.json").write_text('{"a": 1}')
    (root / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "docs" / "index.html").write_text("<h1>docs</h1>")
    (root / ".env").write_text("SECRET=1")
    (root / "big.bin").write_bytes(os.urandom(BIG))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("TOP SECRET")
    (root / "escape.txt").symlink_to(outside / "secret.txt")
    (root / "escape-dir").symlink_to(outside)
    (root / "alias.css").symlink_to(root / "app.css")
    return root


def fetch(server, target: str, headers: dict[str, str] | None = None, method: str = "GET"):
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        conn.request(method, target, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


@pytest.fixture
def static_server(serve, site, backend):
    return serve(HANDLER, "--static", str(site), "--backend", backend)


def test_file_served_with_type_and_validators(static_server):
    status, headers, body = fetch(static_server, "/app.css")
    assert (status, body) == (200, b"body { color: red }")
    assert headers["content-type"] == "text/css; charset=utf-8"
    assert headers["etag"].startswith('"') and headers["last-modified"].endswith("GMT")
    assert headers["content-length"] == str(len(body))


def test_static_prefix_maps_to_the_same_file(static_server):
    assert fetch(static_server, "/static/app.css")[2] == b"body { color: red }"


CONTENT_TYPES = {
    "/data.json": "application/json; charset=utf-8",
    "/index.html": "text/html; charset=utf-8",
    "/logo.png": "image/png",
    "/big.bin": "application/octet-stream",
}


def test_content_types_with_charset_only_for_text(serve, site):
    server = serve(HANDLER, "--static", str(site))
    seen = {path: fetch(server, path)[1]["content-type"] for path in CONTENT_TYPES}
    assert seen == CONTENT_TYPES


def test_missing_file_goes_to_the_handler(static_server):
    assert fetch(static_server, "/api/users?x=1")[2] == b"handler GET /api/users?x=1"


def test_post_to_a_file_path_goes_to_the_handler(static_server):
    assert fetch(static_server, "/app.css", method="POST")[2] == b"handler POST /app.css"


def test_root_and_directories_serve_index_html(static_server):
    assert fetch(static_server, "/")[2] == b"<h1>home</h1>"
    assert fetch(static_server, "/docs/")[2] == b"<h1>docs</h1>"


def test_directory_without_slash_redirects(static_server):
    status, headers, _ = fetch(static_server, "/docs?tab=1")
    assert (status, headers["location"]) == (301, "/docs/?tab=1")


def test_dotfiles_are_not_served(static_server):
    assert fetch(static_server, "/.env")[2] == b"handler GET /.env"


def test_if_none_match_gives_304(static_server):
    etag = fetch(static_server, "/app.css")[1]["etag"]
    status, headers, body = fetch(static_server, "/app.css", {"If-None-Match": etag})
    assert (status, body, headers["etag"]) == (304, b"", etag)


def test_if_none_match_with_another_tag_gives_200(static_server):
    assert fetch(static_server, "/app.css", {"If-None-Match": '"other"'})[0] == 200


def test_if_modified_since_gives_304_and_older_date_200(static_server, site):
    mtime = (site / "app.css").stat().st_mtime
    assert (
        fetch(static_server, "/app.css", {"If-Modified-Since": formatdate(mtime + 5, usegmt=True)})[0] == 304
    )
    assert (
        fetch(static_server, "/app.css", {"If-Modified-Since": formatdate(mtime - 60, usegmt=True)})[0] == 200
    )


def test_etag_changes_when_the_file_changes(static_server, site):
    first = fetch(static_server, "/app.css")[1]["etag"]
    (site / "app.css").write_text("body { color: blue }")
    os.utime(site / "app.css", ns=(1, 10**18))
    status, headers, body = fetch(static_server, "/app.css", {"If-None-Match": first})
    assert (status, body) == (200, b"body { color: blue }")
    assert headers["etag"] != first


def test_range_gives_206_with_content_range(static_server):
    status, headers, body = fetch(static_server, "/app.css", {"Range": "bytes=0-3"})
    assert (status, body, headers["content-range"]) == (206, b"body", "bytes 0-3/19")


def test_suffix_range(static_server):
    status, _, body = fetch(static_server, "/app.css", {"Range": "bytes=-4"})
    assert (status, body) == (206, b"ed }")


def test_unsatisfiable_range_gives_416(static_server):
    status, headers, _ = fetch(static_server, "/app.css", {"Range": "bytes=100-"})
    assert (status, headers["content-range"]) == (416, "bytes */19")


def test_if_range_mismatch_gives_full_200(static_server):
    status, _, body = fetch(static_server, "/app.css", {"Range": "bytes=0-3", "If-Range": '"stale"'})
    assert (status, len(body)) == (200, 19)


def test_multiple_ranges_give_full_200(static_server):
    assert fetch(static_server, "/app.css", {"Range": "bytes=0-1,4-5"})[0] == 200


def test_head_has_headers_and_no_body(static_server):
    status, headers, body = fetch(static_server, "/big.bin", method="HEAD")
    assert (status, body, headers["content-length"]) == (200, b"", str(BIG))


def test_large_file_is_streamed_whole(static_server, site):
    status, _, body = fetch(static_server, "/big.bin")
    assert (status, body) == (200, (site / "big.bin").read_bytes())


def test_range_inside_a_streamed_file(static_server, site):
    status, _, body = fetch(static_server, "/big.bin", {"Range": "bytes=200000-200099"})
    assert (status, body) == (206, (site / "big.bin").read_bytes()[200000:200100])


def test_keep_alive_survives_a_streamed_file(static_server, site):
    conn = http.client.HTTPConnection(static_server.host, static_server.port, timeout=10)
    for _ in range(3):
        conn.request("GET", "/big.bin")
        assert len(conn.getresponse().read()) == BIG
        conn.request("GET", "/app.css")
        assert conn.getresponse().read() == b"body { color: red }"
    conn.close()


NEGOTIATION = {  # Accept-Encoding -> the Content-Encoding chosen (None = identity)
    "br, gzip": "br",
    "gzip": "gzip",
    "gzip;q=0.5, br;q=0.1": "gzip",
    "*": "br",
    "br;q=0, gzip;q=0": None,
    "": None,
}


def test_precompressed_siblings_are_negotiated(serve, site):
    server = serve(HANDLER, "--static", str(site))
    chosen = {}
    for accept in NEGOTIATION:
        status, headers, data = fetch(server, "/app.js", {"Accept-Encoding": accept})
        assert status == 200 and headers["vary"] == "Accept-Encoding"
        assert headers["content-type"].startswith("application/javascript")
        chosen[accept] = headers.get("content-encoding")
        plain = gzip.decompress(data) if chosen[accept] == "gzip" else data
        assert plain == {"br": b"fake-brotli"}.get(chosen[accept], b"console.log('plain')")
    assert chosen == NEGOTIATION


def test_range_requests_get_the_identity_file(static_server):
    status, headers, body = fetch(static_server, "/app.js", {"Accept-Encoding": "br", "Range": "bytes=0-6"})
    assert (status, body, headers.get("content-encoding")) == (206, b"console", None)


TRAVERSALS = [
    "/../outside/secret.txt",
    "/static/../../outside/secret.txt",
    "/%2e%2e/outside/secret.txt",
    "/%2E%2E%2Foutside%2Fsecret.txt",
    "/..%2f..%2foutside/secret.txt",
    "/docs/..%5c..%5coutside/secret.txt",
    "/app.css%00.png",
    "//etc/passwd",
    "/%2fetc/passwd",
    "/static//etc/passwd",
    "/C:/Windows/win.ini",
    "/docs/./index.html",
    "/escape.txt",
    "/escape-dir/secret.txt",
    "/%ff%fe",
]


def test_no_path_escapes_the_static_dir(serve, site):
    server = serve(HANDLER, "--static", str(site))
    answers = {target: fetch(server, target) for target in TRAVERSALS}
    leaked = {t: (s, b) for t, (s, _, b) in answers.items() if s != 404 or b != b"Not Found"}
    assert leaked == {}


def test_traversal_refused_on_the_threaded_backend_too(serve, site):
    server = serve(HANDLER, "--static", str(site), "--backend", "threads")
    assert fetch(server, "/%2e%2e/outside/secret.txt")[0] == 404
    assert fetch(server, "/escape.txt")[0] == 404


def test_symlink_inside_the_dir_is_served(serve, site):
    server = serve(HANDLER, "--static", str(site))
    assert fetch(server, "/alias.css")[2] == b"body { color: red }"


def test_static_dir_must_exist(tmp_path):
    from tests.conftest import run_zigttp

    handler = tmp_path / "h.js"
    handler.write_text(HANDLER)
    result = run_zigttp("serve", str(handler), "--port", "0", "--static", str(tmp_path / "missing"))
    assert result.returncode == 2 and "not a directory" in result.stderr


def _peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_large_files_are_never_read_whole(serve, tmp_path, backend):
    root = tmp_path / "huge"
    root.mkdir()
    size = 96 * 1024 * 1024
    with open(root / "huge.bin", "wb") as file:  # sparse: no disk space used
        file.truncate(size)
    server = serve(HANDLER, "--static", str(root), "--backend", backend)
    fetch(server, "/huge.bin", {"Range": "bytes=0-9"})  # warm the code path
    before = _peak_rss_kib(server.process.pid)
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    conn.request("GET", "/huge.bin")
    response = conn.getresponse()
    received = 0
    while chunk := response.read(1 << 20):
        received += len(chunk)
    conn.close()
    assert received == size
    assert _peak_rss_kib(server.process.pid) - before < 32 * 1024
