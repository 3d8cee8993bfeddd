"""Components that only read their props get the element's props, not a copy
(zigttp/frontend/jsx_components.py): which qualify, and that the bytes and the elements are
those of h()."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from zigttp.frontend import jsx
from zigttp.frontend.pipeline import compile_source

READS = "function Row(props) { return <td class={props.c}>{props.n}</td>; }\n"


def compiled(source: str, use: str = "<Row n={1} c='x'/>") -> str:
    return compile_source(source + f"const el = {use};\n", "t.tsx").code


@pytest.mark.parametrize(
    ("component", "direct"),
    [
        (READS, True),
        ("function Row(props: { n: number }) { const n = props.n; return <td>{n}{props?.c}</td>; }\n", True),
        ("export function Row(props) { return <td>{(props.n)}</td>; }\n", True),
        ("function Row() { return <td/>; }\n", True),
        ("function Row(props) { return <td>{props.children}</td>; }\n", False),  # needs children
        ("function Row(props) { props.n = 2; return <td>{props.n}</td>; }\n", False),
        ("function Row(props) { props.n++; return <td/>; }\n", False),
        ("function Row(props) { delete props.n; return <td/>; }\n", False),
        ("function Row(props) { [props.n] = [2]; return <td/>; }\n", False),
        ("function Row(props) { return <td>{props.f()}</td>; }\n", False),  # props as `this`
        ("function Row(props) { return <td>{use(props)}</td>; }\n", False),
        ("function Row(props) { return <td>{props['n']}</td>; }\n", False),
        ("function Row(props) { return <td>{[1].map(() => props.n)}</td>; }\n", False),  # may outlive it
        ("function Row(props) { return <td>{this.props.n}</td>; }\n", False),
        ("function Row(props) { return <td>{arguments[0].n}</td>; }\n", False),
        ("function Row({ n }) { return <td>{n}</td>; }\n", False),  # patterns: not analysed
        ("function Row(props, more) { return <td>{props.n}</td>; }\n", False),
        (READS + "Row = (p) => p;\n", False),  # another function may be the tag
        (READS + "function f(Row) { return <Row/>; }\n", False),  # a shadowing name
        (READS + "const other = Row;\n", False),
        ("const Row = (props) => <td>{props.n}</td>;\n", False),  # declarations only
    ],
)
def test_which_components_get_their_props_uncopied(component: str, direct: bool) -> None:
    code = compiled(component)
    assert ("$j.e(Row, " in code) is direct
    assert ("h(Row, " in code) is not direct


@pytest.mark.parametrize("use", ["<Row n={1}>child</Row>", "<Row __proto__={{}} n={1}/>"])
def test_elements_with_children_or_a_prototype_get_a_copy(use: str) -> None:
    assert "h(Row, " in compiled(READS, use)


def test_an_uncopied_element_is_the_element_h_makes(
    js: Callable[[str, str], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = READS + (
        "const made = <Row n={1} c='x'/>;\n"
        "function render() { return JSON.stringify([made.tag.name, made.props, made.children]) +\n"
        "  renderToString(made) + renderToString(made); }\n"
    )
    direct = compile_source(source, "t.jsx").code
    with monkeypatch.context() as patch:
        patch.setattr(jsx, "direct_components", lambda em: frozenset())
        copied = compile_source(source, "t.jsx").code
    assert "$j.e(Row, " in direct and "h(Row, " in copied
    expected = '["Row",{"n":1,"c":"x"},[]]' + '<td class="x">1</td>' * 2
    assert js(direct, "render()") == js(copied, "render()") == expected


def test_a_changed_tag_gets_a_copy_again(js: Callable[[str, str], Any]) -> None:
    """The mark is the tag the element was made with: swap it and the new one gets a copy."""
    source = READS + (
        "function Greedy(props) { props.taken = 1; return String(Object.keys(props)); }\n"
        "const el = <Row n={1}/>;\nfunction render() { el.tag = Greedy; "
        "return renderToString(el) + '|' + Object.keys(el.props); }\n"
    )
    assert js(compile_source(source, "t.jsx").code, "render()") == "n,children,taken|n"
