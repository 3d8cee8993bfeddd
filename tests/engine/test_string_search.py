"""quickjs-ng patch 17 (vendor/quickjs-ng/VENDOR.md): `indexOf`, `includes` and the
comparisons under `startsWith`, `endsWith` and `lastIndexOf` search two 8-bit strings with
memchr and memcmp, and `decodeURI`/`decodeURIComponent` hand back a string without a `%`
as it is. The answers must stay the standard's: each search is checked against a plain JS
implementation of the standard's steps in the same runtime (an informative diff), and the
whole list against node 20's (its sha256: the list is ~800 answers), over 8-bit, wide, rope,
NUL and U+00FF texts, empty and longer needles, and every kind of position."""

from __future__ import annotations

import hashlib
import json

from .harness import load

SEARCHES = r"""
const wide = "日本語のテキスト/api", rope = "ab".repeat(200) + "/x?y=1";
const hay = ["", "/api/greet/world", "/api/health?x=1", "aaab", "ab\u0000cd\u00ff\u00ffe", wide, rope, "abcabcabd", "%zz"];
const needles = ["", "?", "a", "aab", "/api/", "\u00ff", "\u00ffe", "テキ", "/api", "abd", "x?y=1", "日本語のテキスト/api!", "\u0000"];
const positions = [undefined, 0, 1, 3, -5, 1000, NaN];
"""

# The standard's steps (ECMA-262 String.prototype.*), written plainly: slices compared with ===.
REFERENCE = r"""
const clamp = (p, len) => { const n = Math.trunc(+p) || 0; return Math.min(Math.max(n, 0), len); };
function at(h, n, i) { return h.slice(i, i + n.length) === n; }
function indexOf(h, n, p) {
  for (let i = clamp(p, h.length); i + n.length <= h.length; i++) if (at(h, n, i)) return i;
  return -1;
}
function lastIndexOf(h, n, p) {
  const q = +p, start = Number.isNaN(q) ? h.length : clamp(q, h.length);
  for (let i = Math.min(start, h.length - n.length); i >= 0; i--) if (at(h, n, i)) return i;
  return -1;
}
function startsWith(h, n, p) { const s = clamp(p, h.length); return s + n.length <= h.length && at(h, n, s); }
function endsWith(h, n, p) {
  const end = p === undefined ? h.length : clamp(p, h.length), s = end - n.length;
  return s >= 0 && at(h, n, s);
}
"""

LISTS = r"""
const out = [], reference = [];
for (const h of hay) for (const n of needles) for (const p of positions) {
  out.push([h.indexOf(n, p), h.lastIndexOf(n, p), h.includes(n, p), h.startsWith(n, p), h.endsWith(n, p)]);
  reference.push([indexOf(h, n, p), lastIndexOf(h, n, p), indexOf(h, n, p) >= 0, startsWith(h, n, p),
    endsWith(h, n, p), h, n, p === undefined ? "undefined" : String(p)]);
}
return Response.json({ out: JSON.stringify(out), reference });
"""

NODE_SHA256 = "ad7dd37c0fb59cf3824129bebc7304bdc7cab9bb23ef9f0f09a77825942c1265"

DECODES = r"""
const decoded = [];
for (const s of ["world", "", "a%20b", "%E6%97%A5", "日本", "\ud800lone", "x%", "%G1", "%C3", "%25", "a+b", "%2F%3F"]) {
  for (const f of [decodeURIComponent, decodeURI]) {
    try { decoded.push(f(s)); } catch (e) { decoded.push(e.name); }
  }
}
decoded.push(decodeURIComponent(123), decodeURI(undefined), decodeURIComponent({ toString() { return "q%41"; } }));
return Response.json(decoded.map((s) => [...s].map((c) => c.codePointAt(0))));
"""

NODE_DECODED = [
    *("world", "world", "", "", "a b", "a b", "日", "日", "日本", "日本", "\ud800lone", "\ud800lone"),
    *("URIError",) * 6,
    *("%", "%", "a+b", "a+b", "/?", "%2F%3F", "123", "undefined", "qA"),
]


def handler(body: str) -> str:
    return "function handler(request) {\n" + body + "\n}"


def test_string_searches_answer_what_the_standard_and_node_answer() -> None:
    engine = load(handler(SEARCHES + REFERENCE + LISTS))
    got = json.loads(engine.dispatch()[2])
    answers = json.loads(got["out"])
    wrong = [
        (row[5:], answer, row[:5])
        for answer, row in zip(answers, got["reference"], strict=True)
        if answer != row[:5]
    ]
    assert wrong == [], wrong[:5]  # (haystack, needle, position), the engine's, the standard's
    assert len(answers) == 9 * 13 * 7
    assert hashlib.sha256(got["out"].encode()).hexdigest() == NODE_SHA256


def test_decode_uri_answers_what_node_answers_with_and_without_escapes() -> None:
    engine = load(handler(DECODES))
    got = json.loads(engine.dispatch()[2])
    assert got == [[ord(c) for c in text] for text in NODE_DECODED]  # (code points: a lone surrogate too)
