"""zigttp:crypto: digests, HMAC and base64 against known vectors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from zigttp.modules import ModuleTypeError


@pytest.fixture
def crypto(load: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return load("crypto")


def test_sha256_of_test_matches_fixture_vector(crypto: dict[str, Any]) -> None:
    expected = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    assert crypto["sha256"]("test") == expected


def test_sha256_hashes_utf8(crypto: dict[str, Any]) -> None:
    expected = "4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c"
    assert crypto["sha256"]("é") == expected


def test_hmac_sha256_rfc4231_case_2(crypto: dict[str, Any]) -> None:
    expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    assert crypto["hmacSha256"]("Jefe", "what do ya want for nothing?") == expected


def test_base64_round_trip_matches_fixture_vector(crypto: dict[str, Any]) -> None:
    assert crypto["base64Encode"]("Hello from zigttp") == "SGVsbG8gZnJvbSB6aWd0dHA="
    assert crypto["base64Decode"]("SGVsbG8gZnJvbSB6aWd0dHA=") == "Hello from zigttp"


def test_base64_encodes_utf8(crypto: dict[str, Any]) -> None:
    assert crypto["base64Decode"](crypto["base64Encode"]("héllo ✓")) == "héllo ✓"


@pytest.mark.parametrize("bad", ["not base64!", "abc", "é", "AAA=A"])
def test_base64_decode_of_invalid_input_raises(crypto: dict[str, Any], bad: str) -> None:
    with pytest.raises(ModuleTypeError, match="base64Decode: argument 'data' must be valid base64"):
        crypto["base64Decode"](bad)


def test_base64_decode_of_non_utf8_bytes_raises(crypto: dict[str, Any]) -> None:
    with pytest.raises(ModuleTypeError, match="UTF-8"):
        crypto["base64Decode"]("/w==")


def test_non_string_argument_raises(crypto: dict[str, Any]) -> None:
    with pytest.raises(ModuleTypeError, match="hmacSha256: argument 'key'"):
        crypto["hmacSha256"](None, "x")
