"""zigttp:id: UUID v4, ULID and nanoid shapes and uniqueness."""

from __future__ import annotations

import re
import uuid as uuid_lib
from collections.abc import Callable
from typing import Any

import pytest

from zigttp.modules import ModuleTypeError
from zigttp.modules.id import CROCKFORD, encode_ulid


@pytest.fixture
def ids(load: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return load("id")


def test_uuid_is_version_4(ids: dict[str, Any]) -> None:
    value = ids["uuid"]()
    assert len(value) == 36 and uuid_lib.UUID(value).version == 4


def test_ulid_is_26_crockford_chars_with_clock_timestamp(ids: dict[str, Any]) -> None:
    value = ids["ulid"]()
    assert len(value) == 26 and set(value) <= set(CROCKFORD)
    assert value[:10] == encode_ulid(1_000_000, 0)[:10]


def test_ulid_encoding_matches_spec_vector() -> None:
    assert encode_ulid(1469918176385, 0)[:10] == "01ARYZ6S41"


def test_ulids_sort_by_time(ids: dict[str, Any], clock: Any) -> None:
    first = ids["ulid"]()
    clock.now += 1
    assert ids["ulid"]() > first


def test_nanoid_default_length_and_alphabet(ids: dict[str, Any]) -> None:
    value = ids["nanoid"]()
    assert re.fullmatch(r"[A-Za-z0-9_-]{21}", value)


def test_nanoid_custom_length(ids: dict[str, Any]) -> None:
    assert len(ids["nanoid"](8)) == 8


def test_ids_are_unique(ids: dict[str, Any]) -> None:
    assert len({ids["nanoid"]() for _ in range(1000)}) == 1000
    assert len({ids["ulid"]() for _ in range(1000)}) == 1000


@pytest.mark.parametrize("size", [0, 257, 2.5, "8"])
def test_nanoid_bad_size_raises(ids: dict[str, Any], size: Any) -> None:
    with pytest.raises(ModuleTypeError, match="nanoid: argument 'size'"):
        ids["nanoid"](size)
