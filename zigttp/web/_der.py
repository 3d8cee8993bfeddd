"""Loading and serializing asymmetric keys (`cryptography`), shared by ec.py and rsa.py.

A CryptoKey's material lives in its JS closure as DER (PKCS #8 for private keys, SPKI for
public ones); each operation hands it back here, where `load` turns it into a key object,
cached per distinct DER so a hot signing key is parsed once per process, not per request.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from zigttp.web import NativeError


def data_error(message: str) -> NativeError:
    return NativeError("DataError", message)


@lru_cache(maxsize=128)
def load(kind: str, der: bytes) -> Any:
    """`kind` "private" (PKCS #8) or "public" (SPKI) DER → a `cryptography` key object."""
    from cryptography.hazmat.primitives import serialization

    try:
        if kind == "private":
            return serialization.load_der_private_key(der, password=None)
        return serialization.load_der_public_key(der)
    except (ValueError, TypeError) as exc:
        raise data_error(f"not a valid {'PKCS #8' if kind == 'private' else 'SPKI'} key: {exc}") from None
    except Exception as exc:  # cryptography's UnsupportedAlgorithm for unknown OIDs
        raise data_error(f"unsupported key: {exc}") from None


def private_der(key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def public_der(key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def pair(private: Any) -> dict[str, bytes]:
    return {"private": private_der(private), "public": public_der(private.public_key())}


def hash_of(name: str) -> Any:
    """A WebCrypto hash name → a `cryptography` hash instance."""
    from cryptography.hazmat.primitives import hashes

    known = {
        "SHA-1": hashes.SHA1,
        "SHA-256": hashes.SHA256,
        "SHA-384": hashes.SHA384,
        "SHA-512": hashes.SHA512,
    }
    if name not in known:
        raise NativeError("NotSupportedError", f"unsupported hash {name!r}")
    return known[name]()
