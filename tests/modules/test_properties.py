"""Property tests: parsers never fail on arbitrary input, codecs round-trip."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from zigttp.modules import auth, crypto, http, router, text, url
from zigttp.modules._schema import compile_schema, validate

relaxed = settings(deadline=None)  # no per-example wall-clock deadline: CI machines are shared
json_scalars = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@relaxed
@given(st.text(), st.text())
def test_router_match_never_raises(method: str, path: str) -> None:
    result = router.match(["GET /a/:b", "* /*rest", "POST /"], method, path)
    assert result is None or set(result) == {"index", "params"}


@relaxed
@given(st.text())
def test_parse_cookies_never_raises(header: str) -> None:
    assert all(isinstance(v, str) for v in http.parse_cookies(header).values())


@relaxed
@given(st.text(), st.lists(st.sampled_from(["text/html", "application/json", "image/*"])))
def test_negotiate_returns_an_offered_type_or_none(accept: str, offered: list[str]) -> None:
    assert http.negotiate(accept, offered) in [*offered, None]


@relaxed
@given(st.text())
def test_parse_content_type_never_raises(header: str) -> None:
    assert "mediaType" in http.parse_content_type(header)


@relaxed
@given(st.text())
def test_escape_unescape_round_trip(value: str) -> None:
    escaped = text.escape_html(value)
    assert not any(c in escaped for c in "<>\"'")
    assert text.unescape_html(escaped) == value


@relaxed
@given(st.text())
def test_slugify_output_is_slug_shaped(value: str) -> None:
    slug = text.slugify(value)
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in slug)
    assert not slug.startswith("-") and not slug.endswith("-") and "--" not in slug


@relaxed
@given(st.text(), st.integers(0, 50))
def test_truncate_respects_max(value: str, limit: int) -> None:
    assert len(text.truncate(value, limit, "…")) <= max(limit, 1)


@relaxed
@given(st.text())
def test_base64_round_trip(value: str) -> None:
    assert crypto.base64_decode(crypto.base64_encode(value)) == value


@relaxed
@given(st.text())
def test_url_encode_decode_round_trip(value: str) -> None:
    assert url.url_decode(url.url_encode(value)) == value


@relaxed
@given(st.text())
def test_url_parse_never_raises(value: str) -> None:
    url.url_parse(value)


@settings(deadline=None, max_examples=50)
@given(st.dictionaries(st.text(max_size=10), json_values, max_size=5), st.text(min_size=1))
def test_jwt_sign_verify_round_trip(claims: dict[str, Any], secret: str) -> None:
    claims.pop("exp", None)
    claims.pop("nbf", None)
    verify = auth.make_jwt_verify(lambda: 0.0)
    assert verify(auth.jwt_sign(claims, secret), secret) == {"ok": True, "value": claims}


@relaxed
@given(st.text())
def test_jwt_verify_never_raises_on_garbage(token: str) -> None:
    result = auth.make_jwt_verify(lambda: 0.0)(token, "secret")
    assert result["ok"] is False and isinstance(result["error"], str)


@relaxed
@given(json_values)
def test_validate_reports_json_serialisable_errors(value: Any) -> None:
    schema = compile_schema({"type": "object", "required": ["a"], "properties": {"a": {"type": "integer"}}})
    json.dumps(validate(schema, value))
