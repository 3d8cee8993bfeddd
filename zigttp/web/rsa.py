"""crypto.subtle's RSA algorithms: RSASSA-PKCS1-v1_5, RSA-PSS and RSA-OAEP (`cryptography`).

Keys cross as DER like the elliptic-curve ones (_der.py); `import_key` also reports the
modulus length and public exponent, which the CryptoKey's `algorithm` shows.
"""

from __future__ import annotations

from typing import Any

from zigttp.web import NativeError, native
from zigttp.web._b64 import b64url_int, int_b64url
from zigttp.web._der import data_error, hash_of, load, pair, private_der, public_der

JWK_PRIVATE = ("d", "p", "q", "dp", "dq", "qi")
# Key generation runs in OpenSSL, outside the engine's deadline; 8192 bits can take tens of
# seconds, so generateKey stops at 4096 (importing larger keys is fine: that is cheap).
MAX_MODULUS = 4096


def _describe(key: Any, private: bool) -> dict[str, Any]:
    numbers = (key.public_key() if private else key).public_numbers()
    exponent = numbers.e.to_bytes(max(1, (numbers.e.bit_length() + 7) // 8), "big")
    der = private_der(key) if private else public_der(key)
    return {
        "type": "private" if private else "public",
        "der": der,
        "modulusLength": numbers.n.bit_length(),
        "publicExponent": exponent,
    }


@native("rsa.generate")
def generate(modulus_length: int, exponent: bytes) -> dict[str, Any]:
    from cryptography.hazmat.primitives.asymmetric import rsa

    e = int.from_bytes(exponent, "big")
    if e not in (3, 65537) or modulus_length < 1024 or modulus_length % 8 or modulus_length > MAX_MODULUS:
        raise NativeError(
            "OperationError",
            f"RSA: unsupported modulusLength {modulus_length} or "
            f"publicExponent {e} (use 2048 to {MAX_MODULUS} bits, a multiple of 8, and 65537)",
        )
    private = rsa.generate_private_key(e, modulus_length)
    out = pair(private)
    out.update(_describe(private, True))
    return out


def _from_jwk(jwk: dict[str, Any]) -> Any:
    from cryptography.hazmat.primitives.asymmetric import rsa

    public = rsa.RSAPublicNumbers(b64url_int(jwk.get("e"), "e"), b64url_int(jwk.get("n"), "n"))
    try:
        if "d" not in jwk:
            return public.public_key()
        d, p, q, dp, dq, qi = (b64url_int(jwk.get(member), member) for member in JWK_PRIVATE)
        return rsa.RSAPrivateNumbers(p, q, d, dp, dq, qi, public).private_key()
    except ValueError as exc:
        raise data_error(f"RSA JWK: {exc}") from None


@native("rsa.import")
def import_key(fmt: str, data: Any) -> dict[str, Any]:
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = _from_jwk(data) if fmt == "jwk" else load("public" if fmt == "spki" else "private", data)
    if not isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey):
        raise data_error("not an RSA key")
    return _describe(key, isinstance(key, rsa.RSAPrivateKey))


@native("rsa.export")
def export_key(fmt: str, kind: str, der: bytes) -> Any:
    if fmt != "jwk":
        return der
    key = load(kind, der)
    private = kind == "private"
    numbers = key.private_numbers() if private else None
    public = (key.public_key() if private else key).public_numbers()
    out = {"kty": "RSA", "n": int_b64url(public.n), "e": int_b64url(public.e)}
    if numbers is not None:
        values = (numbers.d, numbers.p, numbers.q, numbers.dmp1, numbers.dmq1, numbers.iqmp)
        out.update({member: int_b64url(value) for member, value in zip(JWK_PRIVATE, values, strict=True)})
    return out


def _padding(name: str, hash_name: str, salt_length: int | None) -> Any:
    from cryptography.hazmat.primitives.asymmetric import padding

    if name == "RSA-PSS":
        return padding.PSS(mgf=padding.MGF1(hash_of(hash_name)), salt_length=salt_length or 0)
    return padding.PKCS1v15()


@native("rsa.sign")
def sign(name: str, hash_name: str, der: bytes, salt_length: int | None, data: bytes) -> bytes:
    try:
        return load("private", der).sign(data, _padding(name, hash_name, salt_length), hash_of(hash_name))
    except ValueError as exc:
        raise NativeError("OperationError", f"{name}: {exc}") from None


@native("rsa.verify")
def verify(
    name: str, hash_name: str, der: bytes, salt_length: int | None, signature: bytes, data: bytes
) -> bool:
    from cryptography.exceptions import InvalidSignature

    scheme = _padding(name, hash_name, salt_length)
    try:
        load("public", der).verify(signature, data, scheme, hash_of(hash_name))
        return True
    except (InvalidSignature, ValueError):
        return False


@native("rsa.oaep")
def oaep(encrypt: bool, hash_name: str, der: bytes, label: bytes | None, data: bytes) -> bytes:
    from cryptography.hazmat.primitives.asymmetric import padding

    digest = hash_of(hash_name)
    scheme = padding.OAEP(mgf=padding.MGF1(digest), algorithm=digest, label=label or None)
    try:
        if encrypt:
            return load("public", der).encrypt(data, scheme)
        return load("private", der).decrypt(data, scheme)
    except ValueError as exc:
        raise NativeError("OperationError", f"RSA-OAEP: {exc}") from None
