"""`zigttp serve` and `zigttp lambda` without click (`zigttp/entry.py`): the same values as
click's parse, or click.

Both read `serve_options.SERVE_OPTIONS` (`LAMBDA_OPTIONS`); these tests hold the lean parser to click's result for
the command lines it takes, and check that everything else reaches click unchanged.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from zigttp.cli import lambda_, serve
from zigttp.entry import parse_lambda, parse_serve
from zigttp.project import explicit_params

TAKEN = [
    ["h.js"],
    ["h.js", "-p", "9000", "-q"],
    ["-p9000", "h.js", "-hlocalhost"],
    ["--port=0", "h.js", "--cors-origin", "https://a", "--cors-origin=https://b"],
    ["-e", "function handler(r) { return new Response('x') }"],
    ["h.js", "-m", "64k", "--metrics", "-w", "2", "--timeout", "1.5", "--backend", "threads"],
    ["h.js", "--allow-env", "A,B", "--allow-env", "C", "--module", "m.py", "-n", "3", "-p", "1", "-p", "2"],
    ["h.js", "--static-cache-max-bytes", "1m", "--log-format", "json", "--state", "redis://x:1/0"],
    ["h.js", "--drain-timeout", "0", "--isolation", "request", "--ratelimit-fail", "open", "--health"],
    ["h.js", "--sqlite", "db.sqlite", "--trace", "t.jsonl", "--outbound-host", "example.com"],
    [],
]
REFUSED = [
    ["--help"],
    ["h.js", "-p", "70000"],
    ["h.js", "--timeout", "0"],
    ["h.js", "--nope"],
    ["h.js", "-qp", "1"],
    ["h.js", "--replay", "f.jsonl"],
    ["h.js", "-h"],
    ["h.js", "--backend", "fibers"],
    ["a.js", "b.js"],
    ["h.js", "-m", "lots"],
    ["h.js", "--quiet=yes"],
    ["h.js", "--", "-p"],
]
ENVIRONMENTS = [
    {},
    {"PORT": "9001", "ZIGTTP_WORKERS": "3"},
    {"ZIGTTP_HANDLER": "env.js", "ZIGTTP_STATE": "redis://e"},
]


def clicks_parse(args: list[str]) -> tuple[object, ...]:
    ctx = serve.make_context("serve", list(args))
    params = dict(ctx.params)
    handler, inline = params.pop("handler"), params.pop("inline")
    params.pop("replay")
    return handler, inline, params, explicit_params(ctx)


@pytest.mark.parametrize("environment", ENVIRONMENTS)
@pytest.mark.parametrize("args", TAKEN)
def test_the_lean_parse_equals_clicks(args, environment, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in ("PORT", "ZIGTTP_WORKERS", "ZIGTTP_HANDLER", "ZIGTTP_STATE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert parse_serve(args, os.environ) == clicks_parse(args)


@pytest.mark.parametrize("args", REFUSED)
def test_what_the_lean_parse_does_not_take_goes_to_click(args):
    assert parse_serve(args, {}) is None


def test_a_directory_as_handler_goes_to_click(tmp_path):
    assert parse_serve([str(tmp_path)], {}) is None
    assert parse_serve(["h.js", "--static", str(tmp_path)], {}) is not None
    (tmp_path / "f").write_text("")
    assert parse_serve(["h.js", "--static", str(tmp_path / "f")], {}) is None


@pytest.mark.parametrize("args", [["h.js", "-p", "70000"], ["h.js", "-h"], ["--nope"], []])
def test_errors_are_clicks_word_for_word(args, tmp_path):
    """`python -m zigttp` (the lean entry) against click's own `cli.main`."""
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k not in ("PORT", "ZIGTTP_HANDLER")}

    def run(*command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *command, "serve", *args], capture_output=True, text=True, cwd=tmp_path, env=env
        )

    lean = run("-m", "zigttp")
    with_click = run(
        "-c", f"import sys; sys.path.insert(0, {str(root)!r}); from zigttp.cli import main; main()"
    )
    assert (lean.returncode, lean.stderr) == (with_click.returncode, with_click.stderr)
    assert lean.returncode == 2 and lean.stderr


LAMBDA_TAKEN = [
    ["h.js"],
    [],
    ["h.js", "-q", "-m", "1m", "-n", "2", "--timeout", "3", "--module", "a.py", "--module=b"],
    ["-e", "function handler(r) { return new Response('x') }", "--pool=4"],
]
LAMBDA_REFUSED = [
    ["--help"],
    ["h.js", "-n", "0"],
    ["h.js", "--timeout", "0"],
    ["h.js", "-p", "1"],
    ["a", "b"],
]


@pytest.mark.parametrize("args", LAMBDA_TAKEN)
def test_the_lean_lambda_parse_equals_clicks(args, monkeypatch):
    monkeypatch.setenv("ZIGTTP_HANDLER", "env.js")  # (lambda reads it itself, later: not a default)
    params = dict(lambda_.make_context("lambda", list(args)).params)
    handler, inline, options, _ = parse_lambda(args, os.environ)
    assert (handler, inline, options) == (params.pop("handler"), params.pop("inline"), params)


@pytest.mark.parametrize("args", LAMBDA_REFUSED)
def test_what_the_lean_lambda_parse_does_not_take_goes_to_click(args):
    assert parse_lambda(args, {}) is None


def test_lambda_starts_without_click_or_http_client(tmp_path):
    """The lean path for real: `python -m zigttp lambda` against an unreachable Runtime API
    exits with the API error and, once its caches are warm (the second start: the first one
    compiled the handler with the front end), never imported click, http.client, dataclasses or
    the HTTP server's modules."""
    probe = (
        "import runpy, sys\n"
        "try:\n"
        "    runpy.run_module('zigttp', run_name='__main__')\n"
        "finally:\n"
        "    unused = ('click', 'http.client', 'dataclasses', 'ssl', 'zigttp.server.lifecycle')\n"
        "    print(sorted(m for m in unused if m in sys.modules))\n"
    )
    handler = tmp_path / "h.js"
    handler.write_text("function handler(r) { return Response.text('ok') }")
    env = {**os.environ, "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:9", "ZIGTTP_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):  # (port 9: nothing listens)
        result = subprocess.run(
            [sys.executable, "-c", probe, "lambda", str(handler)],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
            env=env,
            timeout=60,
        )
        assert "Runtime API" in result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
