"""crypto.getRandomValues / crypto.randomUUID: the operating system's CSPRNG (`os.urandom`)."""

from __future__ import annotations

import os

from zigttp.web import NativeError, native

MAX_RANDOM_BYTES = 65536  # WebCrypto's quota for one getRandomValues call


@native("random.bytes")
def random_bytes(count: int) -> bytes:
    if not isinstance(count, int) or count < 0:
        raise NativeError("TypeError", "random.bytes(count): count must be a non-negative integer")
    if count > MAX_RANDOM_BYTES:
        raise NativeError(
            "QuotaExceededError",
            f"getRandomValues: {count} bytes requested, at most {MAX_RANDOM_BYTES} per call",
        )
    return os.urandom(count)
