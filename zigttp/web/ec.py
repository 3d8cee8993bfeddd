"""crypto.subtle's elliptic-curve algorithms: ECDSA and ECDH (P-256/384/521), Ed25519, X25519.

Keys cross as DER (see _der.py); `import_key` accepts the formats the standard allows per
algorithm (spki, pkcs8, jwk, raw public points) and reports the key's type and curve so the
JS side can build the CryptoKey. A malformed or mismatched key is a DataError.
"""

from __future__ import annotations

from typing import Any

from zigttp.web import NativeError, native
from zigttp.web._b64 import b64url_decode, b64url_encode, int_b64url
from zigttp.web._der import data_error, hash_of, load, pair, private_der, public_der

OKP = ("Ed25519", "X25519")
CURVE_BYTES = {"P-256": 32, "P-384": 48, "P-521": 66}


def _curve(name: str) -> Any:
    from cryptography.hazmat.primitives.asymmetric import ec

    curves = {"P-256": ec.SECP256R1, "P-384": ec.SECP384R1, "P-521": ec.SECP521R1}
    if name not in curves:
        raise NativeError("NotSupportedError", f"unsupported namedCurve {name!r}")
    return curves[name]()


def _okp_classes(name: str) -> tuple[Any, Any]:
    from cryptography.hazmat.primitives.asymmetric import ed25519, x25519

    if name == "Ed25519":
        return ed25519.Ed25519PrivateKey, ed25519.Ed25519PublicKey
    return x25519.X25519PrivateKey, x25519.X25519PublicKey


def _curve_of(key: Any) -> str:
    """The WebCrypto curve name of a loaded key ("P-256", "Ed25519", ...)."""
    from cryptography.hazmat.primitives.asymmetric import ec

    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        names = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}
        return names.get(key.curve.name, key.curve.name)
    private, public = _okp_classes("Ed25519")
    if isinstance(key, private | public):
        return "Ed25519"
    private, public = _okp_classes("X25519")
    return "X25519" if isinstance(key, private | public) else type(key).__name__


@native("ec.generate")
def generate(name: str, curve: str) -> dict[str, bytes]:
    if name in OKP:
        return pair(_okp_classes(name)[0].generate())
    from cryptography.hazmat.primitives.asymmetric import ec

    return pair(ec.generate_private_key(_curve(curve)))


def _from_raw(name: str, curve: str, data: bytes) -> Any:
    if name in OKP:
        if len(data) != 32:
            raise data_error(f"{name}: a raw public key is 32 bytes, got {len(data)}")
        return _okp_classes(name)[1].from_public_bytes(data)
    from cryptography.hazmat.primitives.asymmetric import ec

    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(_curve(curve), data)
    except ValueError:
        raise data_error(f"{name}: not a valid {curve} point") from None


def _from_jwk(name: str, curve: str, jwk: dict[str, Any]) -> Any:
    """A JWK's key; the JS side has checked kty, alg, use, key_ops and ext."""
    if name in OKP:
        if jwk.get("crv") != name:
            raise data_error(f"JWK crv {jwk.get('crv')!r} is not {name}")
        private_cls = _okp_classes(name)[0]
        x = b64url_decode(jwk.get("x"), "x")
        if "d" not in jwk:
            return _from_raw(name, curve, x)
        d = b64url_decode(jwk.get("d"), "d")
        if len(d) != 32:
            raise data_error(f"{name}: JWK d must be 32 bytes")
        key = private_cls.from_private_bytes(d)
        if _raw_public(key.public_key()) != x:
            raise data_error(f"{name}: JWK x does not match d")
        return key
    from cryptography.hazmat.primitives.asymmetric import ec

    if jwk.get("crv") != curve:
        raise data_error(f"JWK crv {jwk.get('crv')!r} is not the namedCurve {curve}")
    size = CURVE_BYTES[curve]
    x, y = b64url_decode(jwk.get("x"), "x"), b64url_decode(jwk.get("y"), "y")
    if len(x) != size or len(y) != size:
        raise data_error(f"JWK x and y must be {size} bytes for {curve}")
    public = _from_raw(name, curve, b"\x04" + x + y)
    if "d" not in jwk:
        return public
    d = b64url_decode(jwk.get("d"), "d")
    if len(d) != size:
        raise data_error(f"JWK d must be {size} bytes for {curve}")
    try:
        key = ec.derive_private_key(int.from_bytes(d, "big"), _curve(curve))
    except ValueError:
        raise data_error("JWK d is not a valid private scalar") from None
    if key.public_key().public_numbers() != public.public_numbers():
        raise data_error("JWK x/y do not match d")
    return key


@native("ec.import")
def import_key(name: str, curve: str, fmt: str, data: Any) -> dict[str, Any]:
    if fmt == "raw":
        key = _from_raw(name, curve, data)
    elif fmt == "jwk":
        key = _from_jwk(name, curve, data)
    elif fmt in ("spki", "pkcs8"):
        key = load("public" if fmt == "spki" else "private", data)
    else:
        raise NativeError("NotSupportedError", f"{name}: format {fmt!r}")
    found = _curve_of(key)
    expected = name if name in OKP else curve
    if found != expected:
        raise data_error(f"{name}: the key is {found}, not {expected}")
    private = hasattr(key, "public_key")
    der = private_der(key) if private else public_der(key)
    return {"type": "private" if private else "public", "der": der, "curve": found}


def _raw_public(key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    if hasattr(key, "curve"):
        return key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _jwk(name: str, key: Any, private: bool) -> dict[str, str]:
    from cryptography.hazmat.primitives import serialization

    public = key.public_key() if private else key
    raw = _raw_public(public)
    if name in OKP:
        out = {"kty": "OKP", "crv": name, "x": b64url_encode(raw)}
        if private:
            raw_private = key.private_bytes(
                serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
            )
            out["d"] = b64url_encode(raw_private)
        return out
    curve = _curve_of(key)
    size = CURVE_BYTES[curve]
    out = {
        "kty": "EC",
        "crv": curve,
        "x": b64url_encode(raw[1 : 1 + size]),
        "y": b64url_encode(raw[1 + size :]),
    }
    if private:
        out["d"] = int_b64url(key.private_numbers().private_value, size)
    return out


@native("ec.export")
def export_key(name: str, fmt: str, kind: str, der: bytes) -> Any:
    key = load(kind, der)
    if fmt == "jwk":
        return _jwk(name, key, kind == "private")
    if fmt == "raw":
        return _raw_public(key)
    return der  # spki / pkcs8: the stored form; the JS side checked format against type


def _signature_size(key: Any) -> int:
    return CURVE_BYTES[_curve_of(key)]


@native("ec.sign")
def sign(name: str, hash_name: str, der: bytes, data: bytes) -> bytes:
    key = load("private", der)
    if name == "Ed25519":
        return key.sign(data)
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hash_of(hash_name))))
    size = _signature_size(key)
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


# Ed25519 encodings of small-order points (libsodium's blocklist; compared with the sign bit
# cleared, which also covers their non-canonical twins). A public key or a signature's R
# among them verifies nothing (Secure Curves in WebCrypto, Ed25519 verify; OpenSSL alone
# accepts them, and such a signature is valid for many messages at once).
_ED25519_SMALL_ORDER = frozenset(
    bytes.fromhex(point)
    for point in (
        "00" * 32,
        "01" + "00" * 31,
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "ec" + "ff" * 30 + "7f",
        "ed" + "ff" * 30 + "7f",
        "ee" + "ff" * 30 + "7f",
    )
)


def _small_order(point: bytes) -> bool:
    return len(point) == 32 and point[:31] + bytes([point[31] & 0x7F]) in _ED25519_SMALL_ORDER


@native("ec.verify")
def verify(name: str, hash_name: str, der: bytes, signature: bytes, data: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature

    key = load("public", der)
    try:
        if name == "Ed25519":
            if _small_order(_raw_public(key)) or _small_order(signature[:32]):
                return False
            key.verify(signature, data)
            return True
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

        size = _signature_size(key)
        if len(signature) != 2 * size:
            return False
        r, s = int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big")
        key.verify(encode_dss_signature(r, s), data, ec.ECDSA(hash_of(hash_name)))
        return True
    except (InvalidSignature, ValueError):
        return False


@native("ec.derive")
def derive(name: str, private: bytes, public: bytes) -> bytes:
    mine, theirs = load("private", private), load("public", public)
    try:
        if name == "X25519":
            secret = mine.exchange(theirs)
            if secret == bytes(32):
                raise NativeError("OperationError", "X25519: all-zero shared secret (small-order point)")
            return secret
        from cryptography.hazmat.primitives.asymmetric import ec

        return mine.exchange(ec.ECDH(), theirs)
    except ValueError as exc:
        raise NativeError("OperationError", f"{name}: {exc}") from None
