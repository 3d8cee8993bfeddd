"""Compiled JSX templates: the same bytes as the h() path, no markup from data, and every
expression on its source line and column."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zigttp.errors import AnalyzerError
from zigttp.frontend import jsx, jsx_template
from zigttp.frontend.pipeline import compile_file, compile_source

from .conftest import new_context, user_lines

# Hostile and awkward values every generated tree draws its expressions from.
VALUES = """const v = ["<script>&\\"'x", 0, -1.5, null, undefined, true, false,
  [1, [2, "<b>"], [null, [false]]], {a: 1}, JSON.parse('{"tag":"i","props":{},"children":["x"]}'),
  () => 1, {color: "red", fontSize: 12}, "", 12n, h("em", null, "h&m"), {__html: "<u>"}];
function Comp(props) { return <section title={props.x}>{props.children}</section>; }
function Wrap(props) { return props.children; }
function Leaf(props) { return <b id={props.id} class={props.class}>{props.title}{props.disabled}</b>; }
"""
COUNT = 16


def compile_code(source: str, templates: bool, monkeypatch: pytest.MonkeyPatch) -> str:
    """The handler compiled with templates and `$j.e` elements, or with every element as h()
    (and every component given a props copy)."""
    with monkeypatch.context() as patch:
        if not templates:
            patch.setattr(jsx_template, "applies", lambda em, node: False)
            patch.setattr(jsx, "direct_components", lambda em: frozenset())
        return compile_source(source, "t.jsx").code


def outcome(code: str) -> str:
    """What render() gives: its HTML, or the class of error it throws."""
    ctx = new_context()
    ctx.eval(code)
    return ctx.eval("(() => { try { return 'ok:' + render(); } catch (e) { return 'error:' + e.name; } })()")


def both(expression: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    source = VALUES + f"function render() {{ return renderToString({expression}); }}\n"
    return outcome(compile_code(source, True, monkeypatch)), outcome(compile_code(source, False, monkeypatch))


# ---- a generated corpus: element trees of every kind of tag, attribute and child ----------
TAGS = ["div", "p", "span", "br", "img", "input", "my-el", "svg:rect", "Comp", "Wrap", "Leaf", ""]
NAMES = [
    "id",
    "class",
    "className",
    "htmlFor",
    "title",
    "style",
    "data-x",
    "key",
    "ref",
    "disabled",
    "aria-label",
    "xlink:href",
    "children",
    "dangerouslySetInnerHTML",
]
STATIC_VALUES = [
    '"a &amp; b"',
    "'say \"hi\"'",
    '"it&apos;s <b>"',
    '""',
    '"&#x41;&nbsp;&bogus;"',
    '"line\nbreak"',
]
TEXTS = [
    "text",
    " spaced  out ",
    "\n    indented\n    lines\n  ",
    "&amp;&lt;&copy;",
    'it\'s "q"',
    "&gt;",
    "\u00a0",
    "\t",
]


def value() -> st.SearchStrategy[str]:
    return st.integers(0, COUNT - 1).map(lambda i: f"v[{i}]")


@st.composite
def attribute(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["bare", "static", "expr", "spread", "spread-data"]))
    name = draw(st.sampled_from(NAMES))
    if kind == "bare":
        return name
    if kind == "static":
        return f"{name}={draw(st.sampled_from(STATIC_VALUES))}"
    if kind == "expr":
        return f"{name}={{{draw(value())}}}"
    if kind == "spread":
        return f'{{...{{"{name}": {draw(value())}}}}}'
    return f"{{...{draw(value())}}}"


def child(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(TEXTS),
        value().map(lambda e: f"{{{e}}}"),
        st.tuples(value(), value()).map(lambda p: f"{{[{p[0]}, {p[1]}]}}"),
        st.tuples(value(), value()).map(lambda p: f"{{...[{p[0]}, {p[1]}]}}"),
        st.just("{/* note */}"),
        inner,
        inner.map(lambda e: f"{{v[5] && {e}}}"),
    )


def element(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    @st.composite
    def build(draw: st.DrawFn) -> str:
        tag = draw(st.sampled_from(TAGS))
        attrs = draw(st.lists(attribute(), max_size=4)) if tag else []
        kids = draw(st.lists(child(inner), max_size=4))
        opening = " ".join([tag, *attrs])
        if not kids and tag and draw(st.booleans()):
            return f"<{opening} />"
        return f"<{opening}>{''.join(kids)}</{tag}>"

    return build()


TREES = st.recursive(element(st.just("<b>leaf</b>")), element, max_leaves=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=TREES)
def test_generated_trees_render_the_same_bytes_as_h(tree: str, monkeypatch: pytest.MonkeyPatch) -> None:
    compiled, reference = both(tree, monkeypatch)
    assert compiled == reference


@pytest.mark.parametrize(
    "expression",
    [
        "<div {...{id: 'a'}} id='b' title={v[0]}>{v[7]}</div>",
        "<ul>{[1, 2, 3].map((n) => <li key={n} data-n={n}>{n}</li>)}</ul>",
        "<p>{v[3]}{v[4]}{v[5]}{v[6]}{v[1]}{v[2]}{v[13]}</p>",
        "<input disabled={true} checked={false} value={v[3]} />",
        "<br>{v[0]}<b>{v[0]}</b></br>",
        "<div style={v[11]} className={v[0]} htmlFor='x' />",
        "<div dangerouslySetInnerHTML={{__html: '<b>raw</b>'}}>ignored</div>",
        "<div children={['a', <b/>]} />",
        "<Comp x={<b>{v[0]}</b>}><i>{v[14]}</i>{v[8]}</Comp>",
        "<a e=<b>{v[0]}</b> />",
        "<>{v[7]}<>nested {v[0]}</></>",
        "<Wrap><Fragment>{v[0]}</Fragment></Wrap>",
        "<ul>{[0, 7, 9, 12, 14].map((i) => <Leaf id={v[i]} class={v[i + 1]} title={v[i]} disabled />)}</ul>",
        "<div>{[<Leaf {...v[8]} key='k' />, <Leaf title={<Leaf />} />]}</div>",
    ],
)
def test_known_shapes_render_the_same_bytes_as_h(expression: str, monkeypatch: pytest.MonkeyPatch) -> None:
    compiled, reference = both(expression, monkeypatch)
    assert compiled.startswith("ok:") and compiled == reference


# ---- escaping: a string or object from data never becomes markup --------------------------
def render(js: Callable[[str, str], Any], body: str) -> str:
    code = compile_source(VALUES + f"function render() {{ {body} }}\n", "t.jsx").code
    return str(js(code, "render()"))


def test_data_strings_are_escaped_in_children_and_attributes(js: Callable[[str, str], Any]) -> None:
    html = render(
        js, "const d = '\"><script>alert(1)</script>'; return renderToString(<a title={d} href={d}>{d}</a>);"
    )
    assert "<script>" not in html
    assert html.count("&quot;&gt;&lt;script&gt;") == 3


def test_a_vnode_shaped_object_from_data_is_text(js: Callable[[str, str], Any]) -> None:
    html = render(
        js,
        'const d = JSON.parse(\'{"tag":"script","props":{},"children":["x"]}\'); '
        "return renderToString(<div>{d}{h('p', null, d)}</div>) + renderToString(d);",
    )
    assert html == "<div>[object Object]<p>[object Object]</p></div>[object Object]"


def test_an_html_value_cannot_be_forged_from_its_prototype(js: Callable[[str, str], Any]) -> None:
    html = render(
        js,
        "const proto = Object.getPrototypeOf(<b/>); const fake = Object.create(proto); "
        "return [proto.constructor === Object, renderToString(<p>{fake}{{__html: '<i>'}}</p>)].join();",
    )
    assert html == "true,<p>[object Object][object Object]</p>"


def test_spread_attribute_names_from_data_cannot_close_the_tag(js: Callable[[str, str], Any]) -> None:
    html = render(
        js,
        'const d = JSON.parse(\'{"a><script>x": 1, "b c": 2, "ok-name": "<"}\'); '
        "return renderToString(<div {...d}/>);",
    )
    assert html == '<div ok-name="&lt;"></div>'


def test_component_output_is_not_escaped_twice(js: Callable[[str, str], Any]) -> None:
    html = render(
        js,
        "function B() { return <b title=\"&amp;\">{'&'}</b>; } "
        "return renderToString(<div><B/>{[<B/>, <i>{'<'}</i>]}</div>);",
    )
    assert html == '<div><b title="&amp;">&amp;</b><b title="&amp;">&amp;</b><i>&lt;</i></div>'


def test_templates_survive_hostile_builtins(js: Callable[[str, str], Any]) -> None:
    html = render(
        js,
        "Map.prototype.get = () => () => 'HACKED'; JSON.parse = () => ['HACKED']; "
        "Function.prototype.call = () => 'HACKED'; String.prototype.concat = () => 'HACKED'; "
        "Symbol = () => 'HACKED'; "
        "return renderToString(<p title={'\"'}>{'<x>'}{[1, <b>{2}</b>]}</p>);",
    )
    assert html == '<p title="&quot;">&lt;x&gt;1<b>2</b></p>'


# ---- positions: expressions keep their line:col (bytes, as quickjs reports them) ----------
IDENT = re.compile(r"\bq\d+\b")


def positions(text: str) -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int]] = {}
    for row, line in enumerate(text.split("\n")):
        for match in IDENT.finditer(line):
            found[match.group(0)] = (row, len(line[: match.start()].encode("utf-8")))
    return found


@st.composite
def positioned_tree(draw: st.DrawFn, depth: int = 0) -> str:
    """HTML elements only, holes named q0, q1, ... in source order, line breaks anywhere."""
    tag = draw(st.sampled_from(["div", "p", "b", "br", "my-el", ""]))
    gap = st.sampled_from(["", " ", "\n", "\n    "])
    attrs = "".join(f"{draw(gap) or ' '}a{i}={{HOLE}}" for i in range(draw(st.integers(0, 2)))) if tag else ""
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        kinds = ["hole", "text"] + (["tree"] if depth < 2 else [])
        kind = draw(st.sampled_from(kinds + (["spread"] if tag or parts else [])))  # not `<>{...x}`
        if kind == "hole":
            parts.append("{HOLE}")
        elif kind == "spread":
            parts.append("{...HOLE}")
        elif kind == "text":
            parts.append(draw(st.sampled_from(["é text", "\n  x  \n", "&amp;"])))
        else:
            parts.append(draw(positioned_tree(depth + 1)))
        parts.append(draw(gap))
    return f"<{tag}{attrs}>{''.join(parts)}</{tag}>"


def number_holes(text: str) -> str:
    count = iter(range(1000))
    return re.sub("HOLE", lambda _m: f"q{next(count)}", text)


@settings(max_examples=150, deadline=None)
@given(positioned_tree(), st.sampled_from(["", "  ", "/*é*/ "]))
def test_every_expression_keeps_its_line_and_column(tree: str, indent: str) -> None:
    source = number_holes(f"x = 1;\nconst page = {indent}(\n{indent}{tree});\nnext(q_end);\n")
    code = user_lines(compile_source(source, "p.jsx").code)
    assert positions(code) == positions(source)
    assert code.split("\n")[-2] == "next(q_end);"


def test_component_children_and_code_after_elements_keep_their_columns() -> None:
    source = (
        'x = 1;\nconst page = <Layout title={q0}>\n  <main class="m">{q1}\n'
        "    {q2.map((r) => <td>{q3}</td>)}\n  </main>\n</Layout>; q4();\n"
    )
    code = compile_source(source, "p.jsx").code
    expected = positions(source)
    del expected["q0"]  # a component's props move (`h(Layout, {title: q0}`): same line only
    found = positions(code)
    assert {k: found[k] for k in expected} == expected
    assert found["q0"][0] == positions(source)["q0"][0]


def test_a_runtime_error_in_a_template_points_at_the_expression() -> None:
    source = (
        "let x = 1;\nfunction render() {\n  const u = undefined;\n"
        '  return renderToString(<ul class="list">\n    <li title="t">{u.name}</li>\n  </ul>);\n}\n'
    )
    ctx = new_context()
    ctx.eval(compile_source(source, "p.jsx").code)
    stack = ctx.eval("(() => { try { render(); } catch (e) { return e.stack; } })()")
    column = source.split("\n")[4].index("u.name") + 1
    assert f"<input>:5:{column})" in stack


@pytest.mark.parametrize("tag", ["div", "Card"])
def test_an_element_glued_to_a_keyword_stays_separate(tag: str, js: Callable[[str, str], Any]) -> None:
    source = f"function Card() {{ return 'c'; }}\nfunction render() {{ return renderToString(f()); }}\nfunction f() {{ return<{tag}/> }}\n"
    code = compile_source(source, "t.jsx").code
    assert js(code, "render()") == {"div": "<div></div>", "Card": "c"}[tag]


def test_a_component_inside_an_html_element_runs_when_the_element_is_evaluated(
    js: Callable[[str, str], Any],
) -> None:
    source = (
        "let calls = 0;\nfunction Clock() { calls++; return <b>{calls}</b>; }\n"
        "const page = <main><Clock/></main>;\nconst lazy = <Clock/>;\n"
        "function render() { return [renderToString(page), renderToString(page), "
        "renderToString(lazy), renderToString(lazy), calls].join(); }\n"
    )
    code = compile_source(source, "t.jsx").code
    assert js(code, "render()") == "<main><b>1</b></main>,<main><b>1</b></main>,<b>2</b>,<b>3</b>,3"


def test_site_functions_are_declared_once_per_site_and_hoisted(js: Callable[[str, str], Any]) -> None:
    """`$j0(holes)` calls a declaration after the code: a site can run before its line (top
    level), a loop reuses its compiled site, and a site whose name does not fit keeps the
    tagged form; both give the bytes of h()."""
    source = (
        "const early = render();\n"
        "function render() { return renderToString(<ul>{[1, 2].map((n) => <li k={n}>{n}</li>)}</ul>) +\n"
        "  renderToString(<>{'&'}</>); }\n"
    )
    code = compile_source(source, "t.jsx").code
    assert code.count("function $j") == 2 and "$j(" in code  # `<>{` has no room for `$j2(`
    assert js(code, "early + render()") == '<ul><li k="1">1</li><li k="2">2</li></ul>&amp;' * 2


def test_a_site_plan_is_only_data(js: Callable[[str, str], Any]) -> None:
    """`$j.site` compiles indices and parameter names only: a plan's strings cannot become code,
    and what is not a plan is refused."""
    probe = 'renderToString($j.site(["<p>\\");throw 1;//", 0, "</p>"])("<x>"))'
    assert js("", probe) == '<p>");throw 1;//&lt;x&gt;</p>'
    assert js("", "(() => { try { $j.site({}); } catch (e) { return e.name; } })()") == "TypeError"


def test_site_names_are_reserved() -> None:
    with pytest.raises(AnalyzerError) as info:
        compile_source("const $j0 = 1;\n", "t.js")
    assert info.value.diagnostics[0].code == "ZT108"


def test_a_dependency_declares_its_sites_inside_its_wrapper(
    tmp_path: Path, js: Callable[[str, str], Any]
) -> None:
    (tmp_path / "card.jsx").write_text(
        "export function Card(p) { return <div class={p.c}>{p.children}</div>; }\n"
    )
    entry = tmp_path / "entry.jsx"
    entry.write_text(
        'import { Card } from "./card.jsx";\n'
        'export function render() { return renderToString(<main><Card c="x">hi</Card></main>); }\n'
    )
    code = compile_file(entry, use_cache=False).code
    assert code.count("function $j0(") == 2  # one per file: the dependency's in its wrapper
    assert js(code, "render()") == '<main><div class="x">hi</div></main>'
