"""The front end through a real server: export forms, TS line numbers, TSX pages, modules."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("suffix", "source"),
    [
        (".js", "function handler(r) { return Response.json({form: 'global'}) }"),
        (".js", "export function handler(r) { return Response.json({form: 'named'}) }"),
        (".js", "export default function handler(r) { return Response.json({form: 'default'}) }"),
        (".js", "export default function (r) { return Response.json({form: 'anonymous'}) }"),
        (".js", "export default { fetch(r) { return Response.json({form: 'fetch'}) } }"),
        (".ts", "const handler = (r: Request): Response => Response.json({form: 'const'});"),
    ],
)
def test_every_handler_form_serves(serve, suffix: str, source: str) -> None:
    server = serve(source, "-n", "1", suffix=suffix)
    assert server.get("/").status_code == 200
    assert "form" in server.get("/").json()


def test_exception_on_line_17_of_a_ts_handler_reports_line_17(serve, tmp_path) -> None:
    handler = tmp_path / "lines.ts"
    lines = ["interface Req { path: string }", "type Out = { ok: boolean };"] + [""] * 14
    lines.append("export function handler(req: Req): Response { throw new Error('on seventeen'); }")
    handler.write_text("\n".join(lines) + "\n")
    server = serve(handler, "-n", "1")
    response = server.get("/")
    assert (response.status_code, response.text) == (500, "on seventeen")
    log = server.wait_for_log("on seventeen")
    assert f"{handler}:17:" in log


def test_tsx_handler_renders_html(serve) -> None:
    source = """
function Card(props: { title: string; children?: unknown }) {
  return <div className="card"><h2>{props.title}</h2>{props.children}</div>;
}
export default function handler(req: Request): Response {
  const items = ["a", "<b>"];
  return Response.html(renderToString(
    <Card title="Hi &amp; bye">
      <ul>{items.map((item) => <li>{item}</li>)}</ul>
      <input disabled />
    </Card>));
}
"""
    server = serve(source, "-n", "1", suffix=".tsx")
    response = server.get("/")
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text == (
        '<div class="card"><h2>Hi &amp; bye</h2><ul><li>a</li><li>&lt;b&gt;</li></ul><input disabled /></div>'
    )


def test_comptime_is_folded_when_serving(serve) -> None:
    source = (
        'const etag: string = comptime(hash("content-v1"));\n'
        "const seven = comptime(1 + 2 * 3);\n"
        "export function handler(r: Request) { return Response.json({etag, seven}) }\n"
    )
    server = serve(source, "-n", "1", suffix=".ts")
    assert server.get("/").json() == {"etag": "d8c04d60", "seven": 7}


def test_serve_refuses_a_handler_with_errors(tmp_path) -> None:
    from tests.conftest import run_zigttp

    handler = tmp_path / "bad.js"
    handler.write_text("with (Math) {}\nfunction handler() { return Response.text('x') }\n")
    result = run_zigttp("serve", str(handler), "-p", "0")
    assert result.returncode == 1
    assert f"{handler}:1:1: error" in result.stderr and "help:" in result.stderr


def test_relative_imports_and_virtual_modules_work_together(serve, tmp_path) -> None:
    (tmp_path / "util.ts").write_text("export const greet = (n: string): string => `hi ${n}`;\n")
    handler = tmp_path / "main.ts"
    handler.write_text(
        'import { greet } from "./util.ts";\n'
        'import { sha256 } from "zigttp:crypto";\n'
        "export function handler(r: Request) {\n"
        '  return Response.json({g: greet("bob"), h: sha256("abc").slice(0, 8)});\n}\n'
    )
    server = serve(handler, "-n", "1")
    assert server.get("/").json() == {"g": "hi bob", "h": "ba7816bf"}


def test_infinite_loop_in_a_handler_using_modules_times_out(serve) -> None:
    source = (
        'import { sha256 } from "zigttp:crypto";\n'
        "export function handler(r) {\n"
        '  if (r.path === "/spin") { for (;;) { try { while (true) {} } catch (e) {} } }\n'
        '  return Response.text(sha256("x"));\n}\n'
    )
    server = serve(source, "-n", "1", "--timeout", "0.5")
    response = server.get("/spin", timeout=20)
    assert (response.status_code, response.text) == (500, "handler exceeded its time limit of 0.5s")
    assert server.get("/").status_code == 200


def test_call_depth_beyond_1024_frames_is_a_typed_500(serve) -> None:
    source = (
        "function depth(n) { return n === 0 ? 0 : 1 + depth(n - 1); }\n"
        "function handler(r) { return Response.json({d: depth(Number(r.query.n))}) }\n"
    )
    server = serve(source, "-n", "1")
    assert server.get("/?n=1000").json() == {"d": 1000}
    deep = server.get("/?n=1100")
    assert deep.status_code == 500 and "1024 frames" in deep.text
    server.wait_for_log("CallStackOverflow")
