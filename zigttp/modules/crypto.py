"""`zigttp:crypto`: SHA-256, HMAC-SHA256 and standard base64 over UTF-8 strings.

Strings are encoded as UTF-8 before hashing; digests are lower-case hex. `base64Decode` is
strict (standard alphabet, correct padding) and must produce UTF-8 text, because a JS string
cannot carry arbitrary bytes faithfully. Invalid input is a caller bug, as in upstream (which
throws), so it raises ModuleTypeError → a JS TypeError; a handler decoding untrusted input
should wrap the call in try/catch.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from typing import Any

from zigttp.modules._result import bad_arg, want_str
from zigttp.modules._spec import ModuleContext, ModuleSpec


def sha256(data: Any) -> str:
    return hashlib.sha256(want_str("sha256", "data", data).encode()).hexdigest()


def hmac_sha256(key: Any, data: Any) -> str:
    key_bytes = want_str("hmacSha256", "key", key).encode()
    data_bytes = want_str("hmacSha256", "data", data).encode()
    return hmac.new(key_bytes, data_bytes, hashlib.sha256).hexdigest()


def base64_encode(data: Any) -> str:
    return base64.b64encode(want_str("base64Encode", "data", data).encode()).decode("ascii")


def base64_decode(data: Any) -> str:
    text = want_str("base64Decode", "data", data)
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise bad_arg("base64Decode", "data", "valid base64") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise bad_arg("base64Decode", "data", "base64 of UTF-8 text") from None


def create(ctx: ModuleContext) -> dict[str, Any]:
    return {
        "sha256": sha256,
        "hmacSha256": hmac_sha256,
        "base64Encode": base64_encode,
        "base64Decode": base64_decode,
    }


EXPORTS = ("sha256", "hmacSha256", "base64Encode", "base64Decode")
MODULE = ModuleSpec(
    name="crypto",
    exports=EXPORTS,
    create=create,
    traceable=frozenset(EXPORTS),
    pure=frozenset(EXPORTS),
    effects=False,
)
