"""zigttp:text: escaping, slugs, truncation, masking (code points, not bytes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from zigttp.modules import ModuleTypeError


@pytest.fixture
def text(load: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return load("text")


def test_escape_html_escapes_five_characters(text: dict[str, Any]) -> None:
    assert text["escapeHtml"]("<a href=\"x\">Tom & 'J'</a>") == (
        "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;J&#39;&lt;/a&gt;"
    )


def test_unescape_reverses_escape_only(text: dict[str, Any]) -> None:
    original = "<b>\"&'</b> &copy;"
    assert text["unescapeHtml"](text["escapeHtml"](original)) == original
    assert text["unescapeHtml"]("&amp;lt;") == "&lt;"


@pytest.mark.parametrize(
    ("source", "slug"),
    [("Hello, World!", "hello-world"), ("  Café  au lait ", "cafe-au-lait"), ("--", "")],
)
def test_slugify(text: dict[str, Any], source: str, slug: str) -> None:
    assert text["slugify"](source) == slug


def test_truncate_counts_ellipsis_in_max(text: dict[str, Any]) -> None:
    assert text["truncate"]("Hello world", 8) == "Hello..."
    assert text["truncate"]("Hello", 8) == "Hello"
    assert text["truncate"]("Hello world", 6, "…") == "Hello…"


def test_truncate_never_splits_characters(text: dict[str, Any]) -> None:
    assert text["truncate"]("héllo wörld", 5, "") == "héllo"


def test_mask_keeps_last_visible(text: dict[str, Any]) -> None:
    assert text["mask"]("4111111111111111") == "************1111"
    assert text["mask"]("secret", 2) == "****et"
    assert text["mask"]("abc") == "***"


def test_bad_max_raises(text: dict[str, Any]) -> None:
    with pytest.raises(ModuleTypeError, match="truncate: argument 'max'"):
        text["truncate"]("x", -1)
