"""`zigttp:id`: random identifiers: UUID v4, ULID and nanoid.

All randomness comes from `secrets` (the OS CSPRNG). A ULID (github.com/ulid/spec) is a 48-bit
millisecond timestamp from `ctx.clock` followed by 80 random bits, in Crockford base32
(26 characters), so ULIDs sort by creation time across processes. nanoid uses the URL-safe
64-character alphabet; 64 divides 256, so masking a random byte has no modulo bias.
"""

from __future__ import annotations

import secrets
import uuid as uuid_lib
from collections.abc import Callable
from typing import Any

from zigttp.modules._result import bad_arg, want_int
from zigttp.modules._spec import ModuleContext, ModuleSpec

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
NANOID_ALPHABET = "useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict"
NANOID_DEFAULT = 21
NANOID_MAX = 256


def uuid() -> str:
    return str(uuid_lib.uuid4())


def encode_ulid(ms: int, randomness: int) -> str:
    value = (ms & (2**48 - 1)) << 80 | randomness
    return "".join(CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def make_ulid(clock: Callable[[], float]) -> Callable[[], str]:
    def ulid() -> str:
        return encode_ulid(int(clock() * 1000), secrets.randbits(80))

    return ulid


def nanoid(size: Any = None) -> str:
    length = NANOID_DEFAULT if size is None else want_int("nanoid", "size", size, minimum=1)
    if length > NANOID_MAX:
        raise bad_arg("nanoid", "size", f"an integer between 1 and {NANOID_MAX}")
    return "".join(NANOID_ALPHABET[byte & 63] for byte in secrets.token_bytes(length))


def create(ctx: ModuleContext) -> dict[str, Any]:
    return {"uuid": uuid, "ulid": make_ulid(ctx.clock), "nanoid": nanoid}


EXPORTS = ("uuid", "ulid", "nanoid")
MODULE = ModuleSpec(name="id", exports=EXPORTS, create=create, traceable=frozenset(EXPORTS), effects=False)
