"""The fast start's readiness loop: `selectors`' register/modify/unregister/select over
`select.poll`, for the few sockets of a cold start's first requests.

Why not `selectors`: its import (with `math` and a namedtuple built by `exec`) is ~1 ms of a
cold start (bench/README.md); the fast loop uses four of its calls. Semantics are
`selectors.PollSelector`'s: READ/WRITE masks, a hang-up or error reported as both, KeyError
for a socket registered twice or never.
"""

from __future__ import annotations

import select

READ = 1  # selectors.EVENT_READ
WRITE = 2  # selectors.EVENT_WRITE
_POLL_READ = select.POLLIN
_POLL_WRITE = select.POLLOUT


class Key:
    """What `select` returns for a ready socket: the object registered and its data."""

    __slots__ = ("data", "fileobj")

    def __init__(self, fileobj: object, data: object) -> None:
        self.fileobj = fileobj
        self.data = data


class Poller:
    def __init__(self) -> None:
        self._poll = select.poll()
        self._keys: dict[int, Key] = {}

    def register(self, sock: object, events: int, data: object = None) -> None:
        fd = sock.fileno()  # type: ignore[attr-defined]
        if fd in self._keys:
            raise KeyError(f"{sock!r} is already registered")
        self._poll.register(fd, _mask(events))
        self._keys[fd] = Key(sock, data)

    def modify(self, sock: object, events: int, data: object = None) -> None:
        fd = sock.fileno()  # type: ignore[attr-defined]
        key = self._keys[fd]  # (KeyError: not registered)
        self._poll.modify(fd, _mask(events))
        key.data = data

    def unregister(self, sock: object) -> None:
        fd = sock.fileno()  # type: ignore[attr-defined]
        del self._keys[fd]  # (KeyError: not registered)
        self._poll.unregister(fd)

    def select(self, timeout: float) -> list[tuple[Key, int]]:
        ready = []
        for fd, event in self._poll.poll(max(0, int(timeout * 1000))):
            key = self._keys.get(fd)
            if key is None:
                continue
            mask = (WRITE if event & ~_POLL_READ else 0) | (READ if event & ~_POLL_WRITE else 0)
            ready.append((key, mask))
        return ready

    def close(self) -> None:
        self._keys.clear()


def _mask(events: int) -> int:
    return (_POLL_READ if events & READ else 0) | (_POLL_WRITE if events & WRITE else 0)
