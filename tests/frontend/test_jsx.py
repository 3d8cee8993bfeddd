"""JSX transform details: tags, props, whitespace, entities, and line preservation
(rendering equivalence, escaping and columns: test_jsx_templates.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zigttp.errors import JSXError
from zigttp.frontend.jsx import clean_text, decode_entities
from zigttp.frontend.pipeline import compile_source

from .conftest import site_plans, user_lines


def jsx(expr: str) -> str:
    """The compiled expression, then its JSX sites' plans (if any) after ` | `."""
    code = compile_source(f"x = {expr};", "h.jsx").code
    call = (
        user_lines(code).removeprefix('"use strict";x = ').removesuffix(";").rstrip()
    )  # padded to the element's end
    plans = site_plans(code)
    return f"{call} | {plans}" if plans else call


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Method: ", "Method: "),
        ("\n    ", ""),
        ("  a  ", "  a  "),
        ("\n  Hello,\n  world  \n", "Hello, world"),
        ("a\n\n\n  b", "a b"),
        ("\tx", " x"),
        (" ", " "),
    ],
)
def test_react_whitespace_rules(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_entities_decode_known_names_only() -> None:
    assert decode_entities("&amp;&lt;&#65;&#x42;&nbsp;&bogus;&amp") == "&<AB\u00a0&bogus;&amp"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # HTML elements: one template, markup joined and escaped at compile time
        ("<div/>", '$j0() | $j0=["<div></div>"]'),
        ("<my-el/>", '$j0() | $j0=["<my-el></my-el>"]'),
        ("<svg:rect/>", '$j0() | $j0=["<svg:rect></svg:rect>"]'),
        ("<></>", '$j0() | $j0=[""]'),
        ('<a data-x="1" xlink:href="#"/>', r'$j0() | $j0=["<a data-x=\"1\" xlink:href=\"#\"></a>"]'),
        ("<a t='it&apos;s'/>", r'$j0() | $j0=["<a t=\"it&#x27;s\"></a>"]'),
        ("<a e=<b/>/>", '$j1( $j0()) | $j0=["<b></b>"]; $j1=["<a"," e","></a>"]'),
        ("<p>{a}{/* c */}{...xs}</p>", '$j0(a,         [...xs]) | $j0=["<p>",0,"",0,"</p>"]'),
        ("<p>{cond && <b/>}</p>", '$j1(cond && $j0()) | $j0=["<b></b>"]; $j1=["<p>",0,"</p>"]'),
        ("<br>{a}</br>", '$j0( a) | $j0=["<br />",1,""]'),  # a void element's children: evaluated only
        ('<a className="c" key="k" ref={r}/>', "$j0(" + " " * 26 + r'r) | $j0=["<a class=\"c\"",1,"></a>"]'),
        ("<>{a}</>", '$j(a)`["",0,""]`'),  # `$j0(` would move `a`: the tagged form
        # components, and HTML elements whose props exist only at run time: h()
        ("<Card/>", "h(Card, null)"),
        ("<UI.Button/>", "h(UI.Button, null)"),
        ("<ui.button/>", "h(ui.button, null)"),
        ("<this.Item/>", "h(this.Item, null)"),
        ("<a b c={1} {...d}/>", 'h("a", {b: true, c: 1, ...d})'),
        ('<a children="c"/>', 'h("a", {children: "c"})'),
        ('<a x="1" x="2"/>', 'h("a", {x: "1", x: "2"})'),
        ("<a dangerouslySetInnerHTML={d}/>", 'h("a", {dangerouslySetInnerHTML: d})'),
    ],
)
def test_transform_shapes(source: str, expected: str) -> None:
    assert jsx(source) == expected


def test_lines_are_preserved_inside_elements() -> None:
    source = "x = <div\n  id={a}\n>\n  text\n  {b}\n</div>;\nnext();"
    code = user_lines(compile_source(source, "h.jsx").code)
    lines = code.splitlines()
    assert len(lines) == 7
    assert "a" in lines[1] and "b" in lines[4] and lines[6] == "next();"


def test_empty_attribute_expression_is_an_error() -> None:
    with pytest.raises(JSXError) as info:
        compile_source("x = <a b={}/>;", "h.jsx")
    assert info.value.diagnostics[0].code == "ZT601"


def test_less_than_comparison_in_tsx_is_not_jsx() -> None:
    code = compile_source("const ok = (n: number) => n <= 1 && n < 2;", "h.tsx").code
    assert "n <= 1 && n < 2" in code


PIECES = st.sampled_from(
    [
        "text",
        "\n",
        "  spaced  ",
        "{a}",
        "{\n  b\n}",
        "<br/>",
        "<b>\n  x\n</b>",
        "&amp;",
        '<i t="1"\n  u={c}\n/>',
        "{/* note */}",
        "<>\n</>",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(PIECES, max_size=10))
def test_jsx_never_changes_line_count(pieces: list[str]) -> None:
    source = "x = <div>" + "".join(pieces) + "</div>;\nafter();\n"
    code = user_lines(compile_source(source, "h.jsx").code)
    assert code.count("\n") == source.count("\n")
    assert code.splitlines()[-1] == "after();"


def test_non_breaking_space_is_not_trimmed() -> None:
    assert clean_text("\n\u00a0\n") == "\u00a0"
