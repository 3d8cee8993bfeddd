"""Outbound HTTP(S): the one implementation behind the global `fetch()` and `zigttp:fetch`.

Why here and not urllib: one deadline must cover the whole call (connect, every redirect
hop, every read), and each redirect hop must pass the operator's allow-list again, which
urllib's opener cannot express. `http.client` (stdlib, what urllib itself uses) does the
wire work; this module adds the policy:

* only `http`/`https` URLs to hosts named by `--outbound-host` (exact names, `*.example.com`
  globs, optional `:port`); nothing by default, and a refused host names the flag;
* redirects as the Fetch standard says (`follow`: at most 20 hops, 301/302 POST and 303 become
  GET without a body, Authorization dropped across origins; `manual`: the 3xx is the answer;
  `error`: a redirect fails the call);
* one deadline (`--outbound-timeout-ms`, lowered to what is left of the request's own);
* the body read up to a byte limit: a longer one fails the call, never truncated silently.
"""

from __future__ import annotations

import time

from zigttp.lean import suppress
from zigttp.records import record

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:
    from zigttp.web.tasks import Cancel

DEFAULT_TIMEOUT_MS = 10_000
MAX_RESPONSE_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 20
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_BODY_HEADERS = ("content-type", "content-length", "content-encoding", "content-language", "content-location")
_CHUNK = 64 * 1024


class OutboundError(Exception):
    """No response: `tag` is one of host_not_allowed, invalid_url, timeout, too_large,
    network, redirect, aborted (zigttp:fetch's failure tags); the message says what and how to fix."""

    def __init__(self, tag: str, message: str) -> None:
        super().__init__(message)
        self.tag = tag
        self.message = message


@record(frozen=True)
class Policy:
    hosts: tuple[str, ...] = ()
    timeout_ms: int = DEFAULT_TIMEOUT_MS


_policy = Policy()


def configure(hosts: tuple[str, ...] | list[str], timeout_ms: int = DEFAULT_TIMEOUT_MS) -> None:
    """Set this process's policy (the server does, from --outbound-host/--outbound-timeout-ms)."""
    global _policy
    _policy = Policy(tuple(hosts), int(timeout_ms or DEFAULT_TIMEOUT_MS))


def policy() -> Policy:
    return _policy


@record
class Reply:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    url: str
    redirected: bool


def host_allowed(host: str, port: int, patterns: tuple[str, ...]) -> bool:
    from fnmatch import fnmatchcase  # (a call only: the server imports this module at start)

    for pattern in patterns:
        name, _, want_port = pattern.lower().partition(":")
        if fnmatchcase(host.lower(), name) and (not want_port or want_port == str(port)):
            return True
    return False


def _target(url: str, hosts: tuple[str, ...]) -> tuple[str, str, int, str]:
    """(scheme, host, port, path+query) of an allowed URL, or OutboundError."""
    from urllib.parse import urlsplit  # (urllib.parse with ipaddress: ~3 ms of a cold start)

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OutboundError("invalid_url", f"only absolute http(s) URLs can be fetched, got {url!r}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise OutboundError("invalid_url", f"invalid port in URL {url!r}") from None
    if parts.username is not None or parts.password is not None:
        raise OutboundError("invalid_url", f"URL {url!r} includes credentials; send an Authorization header")
    if not host_allowed(parts.hostname, port, hosts):
        raise OutboundError(
            "host_not_allowed",
            f"{parts.hostname}:{port} is not an allowed outbound host: "
            f"allow it with --outbound-host {parts.hostname}",
        )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port, path


def _left(deadline: float, timeout: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise OutboundError("timeout", f"no complete response within {timeout:g} s")
    return left


def _exchange(
    method: str,
    url: str,
    headers: list[tuple[str, str]],
    body: bytes | None,
    deadline: float,
    timeout: float,
    limit: int,
    hosts: tuple[str, ...],
    cancel: Cancel | None,
) -> Reply:
    import http.client

    scheme, host, port, path = _target(url, hosts)
    kind = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
    conn = kind(host, port, timeout=_left(deadline, timeout))
    try:
        if cancel is not None and not cancel.attach(lambda: _shut(conn)):
            raise OutboundError("aborted", "the call was aborted")
        conn.putrequest(method, path, skip_accept_encoding=True)
        for name, value in headers:
            conn.putheader(name, value)
        if body is not None and not any(name.lower() == "content-length" for name, _ in headers):
            conn.putheader("content-length", str(len(body)))
        conn.endheaders(body)
        sock = conn.sock  # (getresponse() drops conn.sock for a closing response; the fd lives on)
        response = conn.getresponse()
        data = bytearray()
        while True:
            left = _left(deadline, timeout)
            if sock is not None:
                sock.settimeout(left)
            chunk = response.read1(_CHUNK) if method != "HEAD" else b""
            if not chunk:
                break
            data += chunk
            if len(data) > limit:
                raise OutboundError("too_large", f"response body exceeds {limit} bytes")
        return Reply(response.status, response.reason, response.getheaders(), bytes(data), url, False)
    except TimeoutError:
        raise OutboundError("timeout", f"no complete response within {timeout:g} s") from None
    except (OSError, http.client.HTTPException) as problem:
        if cancel is not None and cancel.cancelled:
            raise OutboundError("aborted", "the call was aborted") from None
        raise OutboundError("network", f"{host}:{port}: {problem or type(problem).__name__}") from None
    finally:
        conn.close()


def _shut(conn: object) -> None:
    """Stop a call from another thread: shutting the socket down ends a blocking connect,
    send or read at once (closing it alone would not wake the thread)."""
    import socket

    sock = getattr(conn, "sock", None)
    if sock is not None:
        with suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def send(
    method: str,
    url: str,
    headers: list[tuple[str, str]],
    body: bytes | None,
    *,
    redirect: str = "follow",
    timeout_ms: float | None = None,
    limit: int = MAX_RESPONSE_BYTES,
    hosts: tuple[str, ...] | None = None,
    cancel: Cancel | None = None,
) -> Reply:
    """One outbound call under one deadline, redirects included; `cancel` (web.tasks) lets
    another thread stop it."""
    rules = _policy
    allowed = rules.hosts if hosts is None else hosts
    timeout = min(rules.timeout_ms, timeout_ms if timeout_ms is not None else rules.timeout_ms) / 1000
    from urllib.parse import urljoin, urlsplit

    deadline = time.monotonic() + max(timeout, 0.0)
    for hop in range(MAX_REDIRECTS + 1):
        reply = _exchange(method, url, headers, body, deadline, timeout, limit, allowed, cancel)
        location = next((v for k, v in reply.headers if k.lower() == "location"), None)
        if reply.status not in _REDIRECTS or location is None or redirect == "manual":
            reply.redirected = hop > 0
            return reply
        if redirect == "error":
            raise OutboundError("redirect", f'{url} redirected ({reply.status}) and redirect is "error"')
        target = urljoin(url, location)
        to_get = reply.status == 303 and method not in ("GET", "HEAD")
        if to_get or (reply.status in (301, 302) and method == "POST"):
            method, body = "GET", None
            headers = [(k, v) for k, v in headers if k.lower() not in _BODY_HEADERS]
        if urlsplit(target)[:2] != urlsplit(url)[:2]:
            headers = [(k, v) for k, v in headers if k.lower() != "authorization"]
        url = target
    raise OutboundError("redirect", f"more than {MAX_REDIRECTS} redirects")
