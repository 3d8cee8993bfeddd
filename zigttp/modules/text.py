"""`zigttp:text`: HTML escaping, slugs, truncation and masking.

Lengths count Unicode code points, never bytes, so a cut never splits a character.
`escapeHtml` escapes exactly `& < > " '` (as `&amp; &lt; &gt; &quot; &#39;`) and
`unescapeHtml` reverses exactly those five. `slugify` folds accents (NFKD, `Café` → `cafe`),
keeps ASCII letters/digits in lower case and turns every other run into one `-`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from zigttp.modules._result import want_int, want_str
from zigttp.modules._spec import ModuleContext, ModuleSpec

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_ESCAPE_RE = re.compile("[&<>\"']")
_UNESCAPES = {entity: char for char, entity in _ESCAPES.items()}
_UNESCAPE_RE = re.compile("&(?:amp|lt|gt|quot|#39);")
_NOT_SLUG = re.compile("[^a-z0-9]+")


def escape_html(text: Any) -> str:
    text = want_str("escapeHtml", "text", text)
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group()], text)


def unescape_html(text: Any) -> str:
    text = want_str("unescapeHtml", "text", text)
    return _UNESCAPE_RE.sub(lambda m: _UNESCAPES[m.group()], text)


def slugify(text: Any) -> str:
    text = want_str("slugify", "text", text)
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", folded.lower()).strip("-")


def truncate(text: Any, max_len: Any, ellipsis: Any = None) -> str:
    """At most `max` characters including the ellipsis (default `...`)."""
    text = want_str("truncate", "text", text)
    limit = want_int("truncate", "max", max_len, minimum=0)
    suffix = "..." if ellipsis is None else want_str("truncate", "ellipsis", ellipsis)
    if len(text) <= limit:
        return text
    return text[: max(0, limit - len(suffix))] + suffix


def mask(text: Any, visible: Any = None) -> str:
    """Replace all but the last `visible` (default 4) characters with `*`; all if too short."""
    text = want_str("mask", "text", text)
    keep = 4 if visible is None else want_int("mask", "visible", visible, minimum=0)
    if len(text) <= keep:
        return "*" * len(text)
    return "*" * (len(text) - keep) + text[len(text) - keep :]


def create(ctx: ModuleContext) -> dict[str, Any]:
    return {
        "escapeHtml": escape_html,
        "unescapeHtml": unescape_html,
        "slugify": slugify,
        "truncate": truncate,
        "mask": mask,
    }


EXPORTS = ("escapeHtml", "unescapeHtml", "slugify", "truncate", "mask")
MODULE = ModuleSpec(
    name="text",
    exports=EXPORTS,
    create=create,
    traceable=frozenset(EXPORTS),
    pure=frozenset(EXPORTS),
    effects=False,
)
