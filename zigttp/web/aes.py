"""crypto.subtle's AES-GCM, AES-CBC, AES-CTR and AES-KW, with the `cryptography` package.

`cryptography` (OpenSSL) is imported on first use, so serve's start-up does not pay for it.
The JS side has checked the key's algorithm and usages; what is left to check here are the
parameters the standard makes an OperationError (iv and counter sizes, tag lengths, a
failed authentication or padding check).
"""

from __future__ import annotations

from typing import Any

from zigttp.web import NativeError, native

TAG_LENGTHS = (32, 64, 96, 104, 112, 120, 128)


def _fail(message: str) -> NativeError:
    return NativeError("OperationError", message)


def _cipher(mode: Any, key: bytes) -> Any:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

    return Cipher(algorithms.AES(key), mode)


def _gcm(encrypt: bool, key: bytes, params: dict[str, Any], data: bytes) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers import modes

    tag_bits = params.get("tagLength")
    tag_bits = 128 if tag_bits is None else tag_bits
    if tag_bits not in TAG_LENGTHS:
        raise _fail(f"AES-GCM: tagLength {tag_bits} is not one of {', '.join(map(str, TAG_LENGTHS))}")
    iv, aad, tag_size = params["iv"], params.get("additionalData") or b"", tag_bits // 8
    if not 8 <= len(iv) <= 128:  # OpenSSL's bounds; the standard only bounds it by 2^64 - 1 bytes
        raise _fail(f"AES-GCM: iv of {len(iv)} bytes, zigttp supports 8 to 128 (12 is standard)")
    if encrypt:
        enc = _cipher(modes.GCM(iv), key).encryptor()
        enc.authenticate_additional_data(aad)
        out = enc.update(data) + enc.finalize()
        return out + enc.tag[:tag_size]
    if len(data) < tag_size:
        raise _fail("AES-GCM: ciphertext is shorter than its tag")
    body, tag = data[: len(data) - tag_size], data[len(data) - tag_size :]
    dec = _cipher(modes.GCM(iv, tag, min_tag_length=4), key).decryptor()
    dec.authenticate_additional_data(aad)
    try:
        return dec.update(body) + dec.finalize()
    except InvalidTag:
        raise _fail(
            "AES-GCM: the data failed authentication (wrong key, iv, additionalData or tag)"
        ) from None


def _cbc(encrypt: bool, key: bytes, params: dict[str, Any], data: bytes) -> bytes:
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import modes

    iv = params["iv"]
    if len(iv) != 16:
        raise _fail(f"AES-CBC: iv must be 16 bytes, got {len(iv)}")
    if encrypt:
        padder = padding.PKCS7(128).padder()
        enc = _cipher(modes.CBC(iv), key).encryptor()
        return enc.update(padder.update(data) + padder.finalize()) + enc.finalize()
    if not data or len(data) % 16:
        raise _fail("AES-CBC: ciphertext length is not a positive multiple of 16")
    dec = _cipher(modes.CBC(iv), key).decryptor()
    plain = dec.update(data) + dec.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        return unpadder.update(plain) + unpadder.finalize()
    except ValueError:
        raise _fail("AES-CBC: bad padding (wrong key or iv, or corrupted data)") from None


def _ctr(key: bytes, params: dict[str, Any], data: bytes) -> bytes:
    """The rightmost `length` bits of the counter block count and wrap; the rest stay fixed."""
    from cryptography.hazmat.primitives.ciphers import modes

    counter, bits = params["counter"], params["length"]
    if len(counter) != 16:
        raise _fail(f"AES-CTR: counter must be 16 bytes, got {len(counter)}")
    if not 1 <= bits <= 128:
        raise _fail(f"AES-CTR: length must be 1 to 128, got {bits}")
    value, modulus = int.from_bytes(counter, "big"), 1 << bits
    blocks = -(-len(data) // 16)
    if blocks > modulus:
        raise _fail(f"AES-CTR: {blocks} blocks would reuse a {bits}-bit counter")
    fixed, low = value - value % modulus, value % modulus
    first = min(len(data), (modulus - low) * 16)  # bytes before the counter wraps
    out = _cipher(modes.CTR(counter), key).encryptor().update(data[:first])
    if first < len(data):
        out += _cipher(modes.CTR(fixed.to_bytes(16, "big")), key).encryptor().update(data[first:])
    return out


def _kw(encrypt: bool, key: bytes, data: bytes) -> bytes:
    from cryptography.hazmat.primitives import keywrap

    if encrypt:
        if len(data) % 8 or len(data) < 16:
            raise _fail("AES-KW: the wrapped key must be a multiple of 8 bytes, at least 16")
        return keywrap.aes_key_wrap(key, data)
    try:
        return keywrap.aes_key_unwrap(key, data)
    except (keywrap.InvalidUnwrap, ValueError):
        raise _fail("AES-KW: the data failed its integrity check") from None


@native("aes.crypt")
def crypt(mode: str, encrypt: bool, key: bytes, params: dict[str, Any], data: bytes) -> bytes:
    if mode == "AES-GCM":
        return _gcm(encrypt, key, params, data)
    if mode == "AES-CBC":
        return _cbc(encrypt, key, params, data)
    if mode == "AES-CTR":
        return _ctr(key, params, data)
    if mode == "AES-KW":
        return _kw(encrypt, key, data)
    raise NativeError("NotSupportedError", f"unsupported AES mode {mode!r}")
