"""One connection of the fast start (`fast_start.py`): what the full server adopts from it.

Kept apart from the loop because `handover.AdoptedConnection` reads exactly these fields: the
parser state, the bytes not yet sent, and any answer or request the full server must finish.
"""

from __future__ import annotations

from zigttp.server.protocol import RequestReader

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:
    import socket

    from zigttp.config import ServerConfig
    from zigttp.errors import ProtocolError
    from zigttp.server.dispatch import Reply
    from zigttp.server.sockets import RawSocket
    from zigttp.server.threaded_call import ThreadedCall


class FastConnection:
    """One accepted connection: its reader (parser state), what is not yet sent, and what the
    full server has to finish (a streamed reply, a request on a pool thread)."""

    __slots__ = (
        "call",
        "closing",
        "continue_sent",
        "lingering",
        "pending_error",
        "reader",
        "shut",
        "sock",
        "special",
        "unsent",
    )

    def __init__(self, sock: RawSocket | socket.socket, config: ServerConfig) -> None:
        self.sock = sock
        self.reader = RequestReader(config.max_body_size, config.max_header_bytes)
        self.unsent = bytearray()
        self.continue_sent = False
        self.pending_error: ProtocolError | None = None  # answered after the complete requests
        self.special: Reply | None = None  # a streamed reply: the full server sends it
        self.call: ThreadedCall | None = None  # the request running on a pool thread
        self.closing = False  # its last answer is queued: close once `unsent` is written
        self.lingering = 0.0  # >0: an error was answered; discard input until this time
        self.shut = False  # the write side is shut (after the error answer went out)

    @property
    def idle(self) -> bool:
        reader = self.reader
        return not (self.unsent or reader.requests or reader.mid_request or self.special or self.call)
