"""The JSX runtime's native sites, lists and elements (native/engine/jsx.c, engine patch 11)
render and behave as the runtime's JS does.

A served handler gets them from the prelude; a bare engine context (tests/frontend's, no
prelude) has only the JS: compile()'s generated site functions, listJs and elementOf. Every
test renders one page both ways and compares: generated element trees, sites and lists longer
than the C stack buffers, a list that grows while it renders, errors thrown midway, Proxies
(whose traps log every read, so the reads and their order must match too), and elements and
HTML values changed by handler code (they share a shape with every other one made).
"""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings

from tests.frontend.test_jsx_templates import TREES, VALUES
from tests.runtime.test_jsx_fast_path import both

OUTCOME = 'function page() { try { return "ok:" + render(); } catch (e) { return "error:" + e.name + ":" + e.message; } }\n'


def agree(source: str) -> str:
    """The page rendered natively and by the JS alone: they must be the same; returns it."""
    served, bare = both(source + OUTCOME)
    assert served == bare
    return served


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=TREES)
def test_generated_trees_render_the_same_natively(tree: str) -> None:
    agree(VALUES + f"function render() {{ return renderToString({tree}); }}\n")


def test_sites_and_lists_longer_than_the_c_buffers() -> None:
    """60 holes: C, its parts on the heap; 81: more than C takes (62), compiled to JS; 300 items."""
    pairs = [f"<i data-k={{v[{k % 16}]}}>{{v[{(k * 7) % 16}]}}</i>" for k in range(40)]
    holes, short = "".join(pairs), "".join(pairs[:30])
    source = VALUES + (
        "function Row(props) { return <b title={props.t}>{props.t}</b>; }\n"
        f"function render() {{ const items = []; for (let i = 0; i < 300; i++) {{\n"
        "  items.push(i % 3 === 0 ? <Row t={v[i % 16]} /> : i % 3 === 1 ? v[i % 16] : [v[i % 16], <p>{i}</p>]); }\n"
        f"  return renderToString(<div>{holes}{{items}}</div>) + renderToString(<p>{short}</p>); }}\n"
    )
    out = agree(source)
    assert out.startswith("ok:<div><i data-k=") and out.count("<b") == 100 and "</div><p><i" in out


def test_a_list_that_grows_while_it_renders() -> None:
    source = (
        "const items = [];\n"
        "function Grow(props) { if (items.length < 90) items.push(<Grow n={items.length} />); return <u>{props.n}</u>; }\n"
        "function render() { items.push(<Grow n={0} />, 'x'); return renderToString(<ol>{items}</ol>); }\n"
    )
    out = agree(source)
    assert out.count("<u>") == 89 and out.endswith("</ol>")


def test_errors_thrown_while_rendering_surface_unchanged() -> None:
    for failing in (
        "<ul>{[1, <Boom />, 3]}</ul>",  # a component in a list
        "<p title={1}>{<Boom />}</p>",  # a component in a site's hole
        "<p style={{ get color() { throw new RangeError('style'); } }} />",  # attribute() in a site
        "<p>{[[['deep', { toString() { throw new SyntaxError('text'); } }]]]}</p>",  # render() in a list
    ):
        source = f"function Boom() {{ throw new TypeError('boom'); }}\nfunction render() {{ return renderToString({failing}); }}\n"
        assert agree(source).startswith("error:")


def test_proxies_are_read_in_the_same_order() -> None:
    source = (
        "const log = [];\n"
        "function spy(target) { return new Proxy(target, { get(t, k, r) { log.push(String(k)); return Reflect.get(t, k, r); } }); }\n"
        "function Row(props) { return <em>{props.n}</em>; }\n"
        "function render() {\n"
        "  const element = <Row n={1} />;\n"
        "  Object.defineProperty(element, 'tag', { get() { log.push('tag'); return Row; } });\n"
        "  const html = renderToString(<div>{spy(['<', 2, spy({ a: 1 }), element, spy([<b />])])}{[spy(<i />)]}</div>);\n"
        "  return html + '|' + log.join(',');\n"
        "}\n"
    )
    out = agree(source)
    assert "tag,tag" in out and "length" in out and "Symbol(zigttp.html)" in out


def test_elements_and_html_values_stay_plain_objects_of_their_own() -> None:
    source = (
        "function Row(props) { return <i>{props.n}</i>; }\n"
        "function render() {\n"
        "  const a = <Row n={1} />, b = <Row n={2} />;\n"
        "  a.extra = 1; delete b.tag; Object.freeze(a);\n"
        "  const c = <Row />, x = <p>{1}</p>, y = <p>{2}</p>;\n"
        "  x.k = 1; Object.defineProperty(y, 'z', { get() { return 1; } }); Object.freeze(x);\n"
        "  const z = <p>{3}</p>;\n"
        "  return JSON.stringify([Object.keys(a), Object.keys(b), Object.keys(c), c.props, Object.isFrozen(c),\n"
        "    a.children !== c.children, Array.isArray(c.children), Object.getPrototypeOf(c) === Object.prototype,\n"
        "    Object.keys(z), Object.isFrozen(z), 'z' in z, Object.getOwnPropertySymbols(z).length,\n"
        "    Object.getOwnPropertySymbols(c).length]) + renderToString([a, c, x, y, z, <Row n={4} />]);\n"
        "}\n"
    )
    out = agree(source)
    assert out.startswith(
        'ok:[["tag","props","children","extra"],["props","children"],["tag","props","children"],{}'
    )
    assert out.endswith("<i>1</i><i></i><p>1</p><p>2</p><p>3</p><i>4</i>")


def test_a_list_of_any_length_stops_at_the_deadline(serve) -> None:
    """The native list polls the interrupt handler (engine patch 12): a billion holes, rendered
    as nothing and never stored, still end at --timeout like the JS loop they replaced."""
    source = (
        "export function handler(r) {\n"
        "  if (r.path === '/long') return Response.html(renderToString(h('ul', null, new Array(2 ** 30))));\n"
        "  return Response.html(renderToString(h('ul', null, new Array(5), ['<', 1])));\n}\n"
    )
    server = serve(source, "-n", "1", "-w", "1", "--timeout", "0.3")
    for _ in range(2):
        started = time.monotonic()
        response = server.get("/long", timeout=20)
        assert (response.status_code, response.text) == (500, "handler exceeded its time limit of 0.3s")
        assert time.monotonic() - started < 1.3  # --timeout + 1 s at most
    assert server.get("/").text == "<ul>&lt;1</ul>"
