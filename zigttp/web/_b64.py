"""base64url without padding (RFC 7515 §2), the encoding of every binary JWK member."""

from __future__ import annotations

import base64
import binascii

from zigttp.web import NativeError


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: object, member: str) -> bytes:
    """Decode a JWK member; a missing or malformed one is the caller's DataError."""
    if not isinstance(text, str):
        raise NativeError("DataError", f"JWK member {member!r} is missing or not a string")
    if "=" in text or "+" in text or "/" in text or len(text) % 4 == 1:
        raise NativeError("DataError", f"JWK member {member!r} is not base64url without padding")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise NativeError("DataError", f"JWK member {member!r} is not base64url") from None


def b64url_int(text: object, member: str) -> int:
    return int.from_bytes(b64url_decode(text, member), "big")


def int_b64url(value: int, size: int | None = None) -> str:
    length = size if size is not None else max(1, (value.bit_length() + 7) // 8)
    return b64url_encode(value.to_bytes(length, "big"))
