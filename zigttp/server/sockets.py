"""The start path's sockets, on CPython's C socket type (`_socket.socket`), and where they
become `socket.socket`.

Why: `import socket` (with `signal`, and the `enum` both bring) turns every constant into an
IntEnum member at import, ~30 M instructions (~8 ms) of a cold start whose first answer needs
a bind, an accept, recv and send (bench/README.md, cold start). `socket.socket` is a thin
Python subclass of `_socket.socket`; everything the supervisor and the fast start call
(`bind`, `listen`, `recv`, `send`, `setsockopt`, `shutdown`, `close`, `fileno`, `getsockname`)
is the C type's own. The full servers (uvloop, the thread backend) take `socket.socket`:
`full` converts a socket on the same file descriptor when they start.
"""

from __future__ import annotations

import _socket
import errno

from zigttp.errors import ZigttpError
from zigttp.lean import suppress

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:
    import socket

RawSocket = _socket.socket
SHUT_WR = _socket.SHUT_WR
LISTEN_BACKLOG = 2048


def listening(host: str, port: int, *, reuse_port: bool = False, listen: bool = True) -> RawSocket:
    """A bound, non-blocking TCP socket on host:port (listening unless `listen=False`); a
    ZigttpError that says what to do when the port is taken or the address is refused."""
    family = _socket.AF_INET6 if ":" in host else _socket.AF_INET
    sock = _socket.socket(family, _socket.SOCK_STREAM)
    sock.setsockopt(_socket.SOL_SOCKET, _socket.SO_REUSEADDR, 1)
    if reuse_port and hasattr(_socket, "SO_REUSEPORT"):
        sock.setsockopt(_socket.SOL_SOCKET, _socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ZigttpError(
                f"cannot listen on {host}:{port}: port in use (another server is "
                "listening there: stop it, or choose another --port)"
            ) from None
        raise ZigttpError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    if listen:
        sock.listen(LISTEN_BACKLOG)
    sock.setblocking(False)
    return sock


def accept(listener: RawSocket) -> RawSocket:
    """The next queued connection as a non-blocking socket with TCP_NODELAY (BlockingIOError
    when none is queued, OSError as `accept(2)` fails)."""
    fd, _address = listener._accept()
    sock = _socket.socket(fileno=fd)
    sock.setblocking(False)
    with suppress(OSError):  # (a peer that already reset: the first recv says so)
        sock.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_NODELAY, 1)
    return sock


def connect(host: str | bytes, port: int) -> RawSocket:
    """A blocking TCP connection with TCP_NODELAY (`socket.create_connection`: each address
    `host` resolves to in turn; the last one's OSError if none answers)."""
    failure: OSError = OSError(f"{host!r} resolves to no address")
    for family, kind, proto, _name, address in _socket.getaddrinfo(host, port, 0, _socket.SOCK_STREAM):
        sock = _socket.socket(family, kind, proto)
        try:
            sock.connect(address)
        except OSError as exc:
            sock.close()
            failure = exc
            continue
        sock.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_NODELAY, 1)
        return sock
    raise failure


def socketpair() -> tuple[RawSocket, RawSocket]:
    return _socket.socketpair()


def full(sock: RawSocket | socket.socket) -> socket.socket:
    """`sock` as a `socket.socket` on the same file descriptor (the full servers need one)."""
    import socket

    if isinstance(sock, socket.socket):
        return sock
    return socket.socket(fileno=sock.detach())
