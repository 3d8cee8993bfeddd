"""`zigttp test`: pure module calls without an `io` row run for real; recorded rows still answer."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_zigttp

HANDLER = """
import { escapeHtml } from "zigttp:text";
import { env } from "zigttp:env";
function handler(req) {
  return Response.json({ html: escapeHtml("<b>"), env: env("HOME") ?? "none" });
}
"""
ROWS = [
    '{"type":"test","name":"%s"}',
    '{"type":"request","method":"GET","url":"/","headers":{},"body":null}',
]


def _run(tmp_path: Path, io: list[str], body: str) -> tuple[int, str]:
    (tmp_path / "h.js").write_text(HANDLER)
    fixture = tmp_path / "h.test.jsonl"
    expect = f'{{"type":"expect","status":200,"body":{body}}}'
    fixture.write_text("\n".join([ROWS[0] % "t", ROWS[1], *io, expect]) + "\n")
    result = run_zigttp("test", "--strict-io", str(fixture), str(tmp_path / "h.js"))
    return result.returncode, result.stdout


def test_pure_call_without_row_runs_for_real_and_impure_one_uses_its_row(tmp_path: Path) -> None:
    row = '{"type":"io","seq":0,"module":"env","fn":"env","args":["HOME"],"result":"/root"}'
    code, out = _run(tmp_path, [row], '"{\\"html\\":\\"&lt;b&gt;\\",\\"env\\":\\"/root\\"}"')
    assert code == 0, out


def test_a_recorded_row_still_answers_a_pure_call(tmp_path: Path) -> None:
    rows = [
        '{"type":"io","seq":0,"module":"text","fn":"escapeHtml","args":["<b>"],"result":"REC"}',
        '{"type":"io","seq":1,"module":"env","fn":"env","args":["HOME"],"result":"/r"}',
    ]
    code, out = _run(tmp_path, rows, '"{\\"html\\":\\"REC\\",\\"env\\":\\"/r\\"}"')
    assert code == 0, out


def test_an_impure_call_without_row_is_still_a_divergence(tmp_path: Path) -> None:
    code, out = _run(tmp_path, [], '"{\\"html\\":\\"&lt;b&gt;\\",\\"env\\":\\"none\\"}"')
    assert code == 1
    assert 'env.env("HOME") has no io row' in out
