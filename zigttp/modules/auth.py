"""`zigttp:auth`: bearer parsing, HS256 JWT sign/verify, webhook signatures, constant-time compare.

JWT rules (RFC 7519, RFC 8725 §3): only HS256 is issued and accepted; the header's `alg` is
checked before the MAC so `none`/`HS512`/`RS256` tokens are rejected outright; the MAC is
compared in constant time; then `exp` (expired when now > exp) and `nbf` (not yet valid when
now < nbf) are checked in whole epoch seconds from `ctx.clock`. A present but non-numeric
`exp`/`nbf` is an error, never "no constraint". Error strings match upstream exactly:
"invalid token format", "jwt header too long", "invalid header encoding", "invalid header JSON",
"missing alg header", "unsupported alg", "invalid signature encoding", "invalid signature
length", "invalid signature", "invalid payload encoding", "invalid claims JSON",
"invalid exp claim", "token expired", "invalid nbf claim", "token not yet valid".
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
import re
from collections.abc import Callable
from typing import Any

from zigttp.modules._result import Result, bad_arg, err, is_number, ok, want_str
from zigttp.modules._spec import ModuleContext, ModuleSpec

HEADER_B64 = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"  # {"alg":"HS256","typ":"JWT"}
MAX_HEADER_LEN = 1024
_B64URL = re.compile(r"^[A-Za-z0-9_-]*=*$")


class JwtError(Exception):
    """A token that fails verification; the message is the Result's error string."""


def parse_bearer(header: Any) -> str | None:
    if header is None:
        return None
    header = want_str("parseBearer", "header", header)
    if header[:7].lower() != "bearer ":
        return None
    return header[7:].strip() or None


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    if not _B64URL.match(text):
        raise ValueError("not base64url")
    stripped = text.rstrip("=")
    try:
        return base64.urlsafe_b64decode(stripped + "=" * (-len(stripped) % 4))
    except (binascii.Error, ValueError):
        raise ValueError("not base64url") from None


def _mac(signing_input: str, secret: str) -> bytes:
    return hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()


def jwt_sign(claims: Any, secret: Any) -> str:
    """`claims` is a JSON object string (used byte-for-byte, as upstream) or an object."""
    secret = want_str("jwtSign", "secret", secret)
    if isinstance(claims, dict):
        payload = json.dumps(claims, separators=(",", ":"), ensure_ascii=False)
    elif isinstance(claims, str) and isinstance(_loads(claims), dict):
        payload = claims
    else:
        raise bad_arg("jwtSign", "claims", "an object or a JSON object string")
    signing_input = f"{HEADER_B64}.{b64url_encode(payload.encode())}"
    return f"{signing_input}.{b64url_encode(_mac(signing_input, secret))}"


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _json_segment(segment_b64: str, encoding_error: str, json_error: str) -> dict[str, Any]:
    """One base64url JSON-object part of a token, or the JwtError the reference names."""
    try:
        raw = b64url_decode(segment_b64)
    except ValueError:
        raise JwtError(encoding_error) from None
    value = _loads(raw.decode("utf-8", "replace"))
    if not isinstance(value, dict):
        raise JwtError(json_error)
    return value


def _check_header(header_b64: str, allowed_alg: str) -> None:
    if len(header_b64) > MAX_HEADER_LEN:
        raise JwtError("jwt header too long")
    header = _json_segment(header_b64, "invalid header encoding", "invalid header JSON")
    if "alg" not in header:
        raise JwtError("missing alg header")
    if header["alg"] != allowed_alg:
        raise JwtError("unsupported alg")


def _check_signature(signing_input: str, signature_b64: str, secret: str) -> None:
    try:
        signature = b64url_decode(signature_b64)
    except ValueError:
        raise JwtError("invalid signature encoding") from None
    if len(signature) != hashlib.sha256().digest_size:
        raise JwtError("invalid signature length")
    if not hmac.compare_digest(signature, _mac(signing_input, secret)):
        raise JwtError("invalid signature")


def _decode_claims(payload_b64: str) -> dict[str, Any]:
    return _json_segment(payload_b64, "invalid payload encoding", "invalid claims JSON")


def _time_claim(claims: dict[str, Any], name: str) -> float | None:
    if name not in claims:
        return None
    value = claims[name]
    if not is_number(value) or not math.isfinite(value):
        raise JwtError(f"invalid {name} claim")
    return float(value)


def _check_times(claims: dict[str, Any], now: int, leeway: float) -> None:
    exp = _time_claim(claims, "exp")
    if exp is not None and now > math.floor(exp) + leeway:
        raise JwtError("token expired")
    nbf = _time_claim(claims, "nbf")
    if nbf is not None and now < math.floor(nbf) - leeway:
        raise JwtError("token not yet valid")


def _options(opts: Any) -> tuple[str, float]:
    """`opts` is undefined, an algorithm name (upstream's third argument) or `{alg, leewaySec}`."""
    if opts is None:
        return "HS256", 0.0
    if isinstance(opts, str):
        return opts, 0.0
    if isinstance(opts, dict):
        alg = opts.get("alg", "HS256")
        leeway = opts.get("leewaySec", 0)
        if isinstance(alg, str) and is_number(leeway) and math.isfinite(leeway) and leeway >= 0:
            return alg, float(leeway)
    raise bad_arg("jwtVerify", "opts", "an algorithm name or {alg?, leewaySec?}")


def make_jwt_verify(clock: Callable[[], float]) -> Callable[..., Result]:
    def jwt_verify(token: Any, secret: Any, opts: Any = None) -> Result:
        token = want_str("jwtVerify", "token", token)
        secret = want_str("jwtVerify", "secret", secret)
        alg, leeway = _options(opts)
        try:
            if alg != "HS256":
                raise JwtError("unsupported alg")
            parts = token.split(".")
            if len(parts) != 3:
                raise JwtError("invalid token format")
            _check_header(parts[0], alg)
            _check_signature(f"{parts[0]}.{parts[1]}", parts[2], secret)
            claims = _decode_claims(parts[1])
            _check_times(claims, math.floor(clock()), leeway)
        except JwtError as failure:
            return err(str(failure))
        return ok(claims)

    return jwt_verify


def verify_webhook_signature(payload: Any, secret: Any, signature: Any) -> bool:
    """GitHub-style: `signature` is hex HMAC-SHA256 of payload, optionally `sha256=`-prefixed."""
    payload = want_str("verifyWebhookSignature", "payload", payload)
    secret = want_str("verifyWebhookSignature", "secret", secret)
    signature = want_str("verifyWebhookSignature", "signature", signature)
    provided = signature.removeprefix("sha256=").lower()
    expected = hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(provided.encode(), expected.encode())


def timing_safe_equal(a: Any, b: Any) -> bool:
    a = want_str("timingSafeEqual", "a", a)
    b = want_str("timingSafeEqual", "b", b)
    return hmac.compare_digest(a.encode(), b.encode())


def create(ctx: ModuleContext) -> dict[str, Any]:
    return {
        "parseBearer": parse_bearer,
        "jwtSign": jwt_sign,
        "jwtVerify": make_jwt_verify(ctx.clock),
        "verifyWebhookSignature": verify_webhook_signature,
        "timingSafeEqual": timing_safe_equal,
    }


EXPORTS = ("parseBearer", "jwtVerify", "jwtSign", "verifyWebhookSignature", "timingSafeEqual")
MODULE = ModuleSpec(
    name="auth",
    exports=EXPORTS,
    create=create,
    traceable=frozenset(EXPORTS),
    pure=frozenset({"parseBearer", "timingSafeEqual", "verifyWebhookSignature"}),
    effects=False,
)
