"""JSX elements as response bodies, through a real server (issue 19 item 14).

`new Response(<App/>)` and `Response.html(<App/>)` render the element to HTML; a body object
that is neither a string, binary nor an element is a 500 that says what to do, and the
worker keeps serving.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import ServerProcess, start_server

HANDLER = r"""
function Page({ title, children }) {
  return <html><head><title>{title}</title></head><body>{children}</body></html>;
}
const rows = ["<b>x</b>", "y & z"];
export default function handler(req: Request): Response {
  const p = req.path;
  if (p === "/component") return new Response(<Page title="T & T"><ul>{rows.map((r) => <li>{r}</li>)}</ul></Page>);
  if (p === "/element") return new Response(<p class="c">{rows[0]}</p>, { status: 201, headers: { "x-a": "1" } });
  if (p === "/fragment") return new Response(<><i>1</i>{2}</>);
  if (p === "/typed") return new Response(<p>hi</p>, { headers: { "content-type": "application/xhtml+xml" } });
  if (p === "/html") return Response.html(<Page title="H">{rows[1]}</Page>);
  if (p === "/html-init") return Response.html(<hr />, { status: 404 });
  if (p === "/string") return renderToString(<Page title="S" />);
  if (p === "/object") return new Response({ a: 1 });
  if (p === "/array") return new Response(["a"]);
  if (p === "/html-object") return Response.html({ a: 1 });
  if (p === "/data-vnode") return new Response(JSON.parse('{"tag":"script","props":{},"children":["x"]}'));
  if (p === "/number") return new Response(42);
  if (p === "/bytes") return new Response(new Uint8Array([104, 105]));
  return new Response("plain");
}
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    path = tmp_path_factory.mktemp("jsx") / "handler.tsx"
    path.write_text(HANDLER)
    process = start_server([str(path)])
    yield process
    process.stop()


def test_new_response_renders_a_component_as_html(server: ServerProcess) -> None:
    response = server.get("/component")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text == (
        "<html><head><title>T &amp; T</title></head><body><ul>"
        "<li>&lt;b&gt;x&lt;/b&gt;</li><li>y &amp; z</li></ul></body></html>"
    )


def test_new_response_renders_an_element_and_keeps_its_init(server: ServerProcess) -> None:
    response = server.get("/element")
    assert (response.status_code, response.headers["x-a"]) == (201, "1")
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text == '<p class="c">&lt;b&gt;x&lt;/b&gt;</p>'
    assert server.get("/fragment").text == "<i>1</i>2"


def test_a_content_type_given_in_init_wins(server: ServerProcess) -> None:
    response = server.get("/typed")
    assert response.headers["content-type"] == "application/xhtml+xml"
    assert response.text == "<p>hi</p>"


def test_response_html_renders_elements(server: ServerProcess) -> None:
    response = server.get("/html")
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text == "<html><head><title>H</title></head><body>y &amp; z</body></html>"
    assert (server.get("/html-init").status_code, server.get("/html-init").text) == (404, "<hr />")


def test_render_to_string_still_returns_a_string(server: ServerProcess) -> None:
    response = server.get("/string")
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "<html><head><title>S</title></head><body></body></html>"


@pytest.mark.parametrize("path", ["/object", "/array", "/data-vnode"])
def test_an_object_body_is_a_clear_500_never_object_object(server: ServerProcess, path: str) -> None:
    response = server.get(path)
    assert response.status_code == 500
    assert "[object Object]" not in response.text
    assert response.text == (
        "new Response: body must be a string, a Uint8Array/ArrayBuffer, "
        "URLSearchParams, Blob or a JSX element, got an object; use Response.json(data) for data"
    )
    assert server.get("/other").text == "plain"  # the worker keeps serving


def test_response_html_refuses_an_object_too(server: ServerProcess) -> None:
    response = server.get("/html-object")
    assert response.status_code == 500
    assert response.text.startswith("Response.html: body must be a string or a JSX element, got an object")


def test_numbers_and_bytes_are_bodies_as_before(server: ServerProcess) -> None:
    assert server.get("/number").text == "42"
    assert server.get("/bytes").content == b"hi"


def test_the_logged_stack_points_at_the_handler_line_not_the_glue(server: ServerProcess) -> None:
    line = HANDLER.splitlines().index('  if (p === "/object") return new Response({ a: 1 });') + 1
    server.get("/object")
    log = server.wait_for_log("handler.tsx:")
    assert f"handler.tsx:{line}:" in log
    assert "elementBody" not in log and "textOf" not in log
