"""crypto.subtle's hash-based operations: digest, HMAC, PBKDF2, HKDF, with `hashlib`/`hmac`.

The JS side (runtime/js/web/crypto/*.js) has normalized the algorithm and checked the
key's usages; these functions get plain bytes and a hash name ("SHA-256"), and return bytes.
PBKDF2 is the one operation whose cost the caller chooses (the iteration count): it runs in
OpenSSL outside the engine's interrupt handler, so it is given the request's remaining time
and refuses up front (a typed OperationError) a run it estimates would overrun the deadline.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from zigttp.web import NativeError, native
from zigttp.web._b64 import b64url_decode, b64url_encode

HASHES = {"SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}
MAX_PBKDF2_ITERATIONS = 10_000_000  # ~5-10 s of one core for SHA-256: far beyond any sane setting
_PBKDF2_RATE: dict[str, float] = {}  # hash → seconds per iteration, measured once per process


def _hash(name: str) -> str:
    try:
        return HASHES[name]
    except KeyError:
        raise NativeError("NotSupportedError", f"unsupported hash {name!r}") from None


@native("hash.digest")
def digest(name: str, data: bytes) -> bytes:
    return hashlib.new(_hash(name), data).digest()


@native("hash.hmac")
def hmac_sign(name: str, key: bytes, data: bytes) -> bytes:
    return hmac.digest(key, data, _hash(name))


@native("hash.hmacVerify")
def hmac_verify(name: str, key: bytes, signature: bytes, data: bytes) -> bool:
    return hmac.compare_digest(hmac.digest(key, data, _hash(name)), signature)


def _seconds_per_iteration(algorithm: str) -> float:
    rate = _PBKDF2_RATE.get(algorithm)
    if rate is None:
        start = time.perf_counter()
        hashlib.pbkdf2_hmac(algorithm, b"calibrate", b"salt", 2000)
        rate = _PBKDF2_RATE[algorithm] = (time.perf_counter() - start) / 2000
    return rate


@native("hash.pbkdf2")
def pbkdf2(name: str, password: bytes, salt: bytes, iterations: int, bits: int, remaining_ms: float) -> bytes:
    algorithm = _hash(name)
    if iterations > MAX_PBKDF2_ITERATIONS:
        raise NativeError(
            "OperationError",
            f"PBKDF2: {iterations} iterations, at most "
            f"{MAX_PBKDF2_ITERATIONS} (zigttp's bound; 600000 is OWASP's SHA-256 advice)",
        )
    blocks = -(-bits // (8 * hashlib.new(algorithm).digest_size))
    estimate = _seconds_per_iteration(algorithm) * iterations * blocks
    if estimate * 1000 > remaining_ms:
        raise NativeError(
            "OperationError",
            f"PBKDF2: {iterations} iterations would take ~{estimate:.2f} s, "
            f"more than the {remaining_ms / 1000:.2f} s left before the request's deadline "
            "(lower the iterations or raise --timeout)",
        )
    return hashlib.pbkdf2_hmac(algorithm, password, salt, iterations, bits // 8)


@native("hash.hkdf")
def hkdf(name: str, key: bytes, salt: bytes, info: bytes, bits: int) -> bytes:
    """RFC 5869: extract with `salt`, expand with `info` to `bits` bits."""
    algorithm = _hash(name)
    size = hashlib.new(algorithm).digest_size
    length = bits // 8
    if length > 255 * size:
        raise NativeError("OperationError", f"HKDF: at most {255 * size * 8} bits with {name}")
    prk = hmac.digest(salt or bytes(size), key, algorithm)
    out, block = b"", b""
    for counter in range(1, -(-length // size) + 1):
        block = hmac.digest(prk, block + info + bytes([counter]), algorithm)
        out += block
    return out[:length]


@native("hash.jwkOctImport")
def jwk_oct_import(k: object) -> bytes:
    return b64url_decode(k, "k")


@native("hash.jwkOctExport")
def jwk_oct_export(key: bytes) -> str:
    return b64url_encode(key)
