"""The JSX runtime's C fast path (jsx.c `escapeHtml`, given to jsx_runtime.js by the
prelude) renders exactly what its JS fallback renders.

A served handler has the prelude, so its strings, numbers and empty children go through C; a
bare engine context (tests/frontend's, no prelude) renders the same page with the JS loop
alone. Both render one page of awkward values, as children, as attribute values, through
`h()`, and in the escape of a spread's attribute values, and must agree byte for byte.
"""

from __future__ import annotations

import json

import pytest

from tests.frontend.conftest import new_context
from zigttp.frontend.pipeline import compile_source
from zigttp.runtime.handler import load_handler
from zigttp.runtime.limits import RuntimeLimits

# Each value once as a child, once as an attribute, once through h() props and children.
VALUES = r"""const values = [
  "", "plain", "a&b", "<>", '"q"', "'s'", "&amp;", "x".repeat(5000) + "<", "<".repeat(3000),
  "é & ü", "日本 <語>", "\u{1F600}&", "\uD800<", "<\uDFFF", "\uD800", "\u0000&\u0001", "\u2028\"",
  0, -0, 1, -1.5, 1e21, 1e-7, NaN, Infinity, -Infinity, 2 ** 53, 12n, -3n,
  null, undefined, true, false, [1, "<", [null, "&"]], {}, { toString() { return "<t>"; } },
];
"""
PAGE = (
    VALUES
    + r"""
function Cell(props) { return <td title={props.v}>{props.v}</td>; }
function page() {
  const rows = values.map((v, i) => (
    <tr data-i={i} class={v}>
      {v}
      <Cell v={v} />
      {h("td", { title: v, "data-v": v }, v)}
    </tr>
  ));
  return renderToString(<table>{rows}</table>);
}
"""
)
# JSON on both sides: lone surrogates cross as \\uXXXX escapes (a response body would be UTF-8).
SERVE = "export default function handler() { return new Response(JSON.stringify(page())); }\n"


def both(page_source: str) -> tuple[str, str]:
    """(served, bare): the page rendered with the C fast path and with the JS fallback."""
    loaded = load_handler(
        compile_source(page_source + SERVE, "h.jsx"), RuntimeLimits(), console=lambda *a: None
    )
    response = loaded.new_runtime().dispatch("GET", "/", "host\0x", None)
    assert response.status == 200, response.body
    ctx = new_context()
    ctx.eval(compile_source(page_source, "p.jsx").code)
    return json.loads(response.body), ctx.eval("page()")


def test_the_c_fast_path_renders_what_the_js_fallback_renders() -> None:
    served, bare = both(PAGE)
    assert served == bare
    assert "&lt;語&gt;" in served and "&quot;q&quot;" in served and "&#x27;s&#x27;" in served
    assert "\ud800&lt;" in served and "<script" not in served


@pytest.mark.parametrize("value", ['"<a href=\\"x\\">"', "'\\uD800&'", "1e21", "null", "true", "12n"])
def test_a_value_renders_the_same_as_child_and_attribute_on_both_paths(value: str) -> None:
    source = f"function page() {{ const v = {value}; return renderToString(<p title={{v}}>{{v}}</p>); }}\n"
    served, bare = both(source)
    assert served == bare
