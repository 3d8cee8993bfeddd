"""zigttp:auth: bearer parsing, HS256 JWT sign/verify with upstream's error strings, webhooks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any

import pytest

from zigttp.modules import ModuleTypeError

SECRET = "s3cret"


@pytest.fixture
def auth(load: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return load("auth")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge(header: dict[str, Any] | str, claims: dict[str, Any] | str, secret: str = SECRET) -> str:
    raw_header = header if isinstance(header, str) else json.dumps(header)
    raw_claims = claims if isinstance(claims, str) else json.dumps(claims)
    signing_input = f"{b64url(raw_header.encode())}.{b64url(raw_claims.encode())}"
    mac = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(mac)}"


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Bearer abc.def", "abc.def"),
        ("bearer abc", "abc"),
        ("BEARER   abc  ", "abc"),
        ("Basic dXNlcg==", None),
        ("Bearer ", None),
        ("Bearer", None),
        (None, None),
    ],
)
def test_parse_bearer(auth: dict[str, Any], header: str | None, token: str | None) -> None:
    assert auth["parseBearer"](header) == token


def test_sign_then_verify_round_trips_claims(auth: dict[str, Any]) -> None:
    token = auth["jwtSign"]('{"sub":"user-123"}', SECRET)
    assert auth["jwtVerify"](token, SECRET) == {"ok": True, "value": {"sub": "user-123"}}


def test_sign_accepts_object_claims(auth: dict[str, Any]) -> None:
    token = auth["jwtSign"]({"sub": "u", "n": 1}, SECRET)
    assert auth["jwtVerify"](token, SECRET)["value"] == {"sub": "u", "n": 1}


def test_sign_uses_hs256_header_and_an_independently_checkable_mac(auth: dict[str, Any]) -> None:
    token = auth["jwtSign"]('{"sub":"user-123"}', SECRET)
    header, payload, signature = token.split(".")
    assert header == "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"  # {"alg":"HS256","typ":"JWT"}
    assert base64.urlsafe_b64decode(payload + "==") == b'{"sub":"user-123"}'
    mac = hmac.new(SECRET.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    assert signature == b64url(mac)


def test_sign_rejects_non_object_claims(auth: dict[str, Any]) -> None:
    with pytest.raises(ModuleTypeError, match="jwtSign: argument 'claims'"):
        auth["jwtSign"]("[1,2]", SECRET)


def test_tampered_payload_is_invalid_signature(auth: dict[str, Any]) -> None:
    header, _, signature = auth["jwtSign"]({"sub": "user"}, SECRET).split(".")
    tampered = f"{header}.{b64url(json.dumps({'sub': 'admin'}).encode())}.{signature}"
    assert auth["jwtVerify"](tampered, SECRET) == {"ok": False, "error": "invalid signature"}


def test_wrong_secret_is_invalid_signature(auth: dict[str, Any]) -> None:
    token = auth["jwtSign"]({"sub": "u"}, SECRET)
    assert auth["jwtVerify"](token, "other")["error"] == "invalid signature"


def test_expired_token(auth: dict[str, Any], clock: Any) -> None:
    token = auth["jwtSign"]({"exp": 1000}, SECRET)
    assert auth["jwtVerify"](token, SECRET)["ok"] is True  # now == exp is still valid
    clock.now = 1001
    assert auth["jwtVerify"](token, SECRET) == {"ok": False, "error": "token expired"}


def test_leeway_extends_expiry(auth: dict[str, Any], clock: Any) -> None:
    token = auth["jwtSign"]({"exp": 1000}, SECRET)
    clock.now = 1005
    assert auth["jwtVerify"](token, SECRET, {"leewaySec": 10})["ok"] is True


def test_not_yet_valid_token(auth: dict[str, Any], clock: Any) -> None:
    token = auth["jwtSign"]({"nbf": 1001}, SECRET)
    assert auth["jwtVerify"](token, SECRET) == {"ok": False, "error": "token not yet valid"}
    clock.now = 1001
    assert auth["jwtVerify"](token, SECRET)["ok"] is True


@pytest.mark.parametrize(
    ("claims", "error"),
    [
        ('{"exp":"9999999999"}', "invalid exp claim"),
        ('{"nbf":true}', "invalid nbf claim"),
        ("[1]", "invalid claims JSON"),
        ("not json", "invalid claims JSON"),
    ],
)
def test_bad_claims(auth: dict[str, Any], claims: str, error: str) -> None:
    token = forge({"alg": "HS256"}, claims)
    assert auth["jwtVerify"](token, SECRET) == {"ok": False, "error": error}


@pytest.mark.parametrize(
    ("header", "error"),
    [
        ({"alg": "none"}, "unsupported alg"),
        ({"alg": "HS512"}, "unsupported alg"),
        ({"typ": "JWT"}, "missing alg header"),
        ("not json", "invalid header JSON"),
    ],
)
def test_header_algorithm_is_enforced(auth: dict[str, Any], header: Any, error: str) -> None:
    assert auth["jwtVerify"](forge(header, {"sub": "u"}), SECRET)["error"] == error


@pytest.mark.parametrize(
    ("token", "error"),
    [
        ("abc", "invalid token format"),
        ("a.b", "invalid token format"),
        ("a.b.c.d", "invalid token format"),
        ("!!!.e30.sig", "invalid header encoding"),
        ("eyJhbGciOiJIUzI1NiJ9.e30.!!", "invalid signature encoding"),
        ("eyJhbGciOiJIUzI1NiJ9.e30.c2hvcnQ", "invalid signature length"),
        ("x" * 1025 + ".e30.sig", "jwt header too long"),
    ],
)
def test_malformed_tokens(auth: dict[str, Any], token: str, error: str) -> None:
    assert auth["jwtVerify"](token, SECRET) == {"ok": False, "error": error}


def test_unsupported_requested_algorithm(auth: dict[str, Any]) -> None:
    token = auth["jwtSign"]({"sub": "u"}, SECRET)
    assert auth["jwtVerify"](token, SECRET, "RS256")["error"] == "unsupported alg"
    assert auth["jwtVerify"](token, SECRET, "HS256")["ok"] is True


def test_verify_non_string_token_raises(auth: dict[str, Any]) -> None:
    with pytest.raises(ModuleTypeError, match="jwtVerify: argument 'token'"):
        auth["jwtVerify"](None, SECRET)


def test_webhook_signature_with_and_without_prefix(auth: dict[str, Any]) -> None:
    digest = hmac.new(b"whsec", b'{"a":1}', hashlib.sha256).hexdigest()
    assert auth["verifyWebhookSignature"]('{"a":1}', "whsec", digest) is True
    assert auth["verifyWebhookSignature"]('{"a":1}', "whsec", f"sha256={digest}") is True
    assert auth["verifyWebhookSignature"]('{"a":2}', "whsec", digest) is False
    assert auth["verifyWebhookSignature"]('{"a":1}', "whsec", "short") is False


def test_timing_safe_equal(auth: dict[str, Any]) -> None:
    assert auth["timingSafeEqual"]("abc", "abc") is True
    assert auth["timingSafeEqual"]("abc", "abd") is False
    assert auth["timingSafeEqual"]("abc", "ab") is False
    assert auth["timingSafeEqual"]("é", "é") is True
