"""zigttp.json: found in this or a parent directory; supplies defaults; flags override it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_zigttp, start_server
from zigttp.errors import UsageError
from zigttp.project import find_config, load_config, merge_options

HANDLER = 'function handler(r) { return Response.text("from " + r.path); }'


def write_project(root: Path, **settings: object) -> Path:
    (root / "zigttp.json").write_text(json.dumps(settings))
    (root / "app.js").write_text(HANDLER)
    return root


def test_found_in_a_parent_directory(tmp_path):
    write_project(tmp_path)
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    assert find_config(nested) == tmp_path / "zigttp.json"


def test_paths_are_relative_to_the_file(tmp_path):
    write_project(tmp_path, handler="app.js", static="public")
    options = load_config(tmp_path / "zigttp.json").options
    assert options == {"handler": str(tmp_path / "app.js"), "static_dir": str(tmp_path / "public")}


def test_memory_uses_the_size_grammar_and_cors_lists_are_origins(tmp_path):
    write_project(tmp_path, memory="64m", cors=["https://a.example"], staticDir="www")
    options = load_config(tmp_path / "zigttp.json").options
    assert options["memory"] == 64 << 20
    assert (options["cors"], options["cors_origins"]) == (True, ("https://a.example",))


@pytest.mark.parametrize(
    "settings",
    [{"prot": 1}, {"port": "80"}, {"cors": "yes"}, {"pool": True}, {"logFormat": "xml"}, {"memory": "lots"}],
)
def test_bad_settings_are_usage_errors(tmp_path, settings):
    write_project(tmp_path, **settings)
    with pytest.raises(UsageError, match=r"zigttp\.json"):
        load_config(tmp_path / "zigttp.json")


def test_explicit_flags_win(tmp_path):
    write_project(tmp_path, port=9000, host="0.0.0.0")
    project = load_config(tmp_path / "zigttp.json")
    merged = merge_options({"port": 0, "host": "127.0.0.1", "handler": None}, {"port"}, project)
    assert (merged["port"], merged["host"]) == (0, "0.0.0.0")


def test_serve_takes_handler_static_and_cors_from_the_file(tmp_path):
    write_project(tmp_path, handler="app.js", static="public", cors=True)
    (tmp_path / "public").mkdir()
    (tmp_path / "public" / "page.html").write_text("<p>static</p>")
    server = start_server([], cwd=tmp_path)
    try:
        assert server.get("/x").text == "from /x"
        page = server.get("/page.html")
        assert page.text == "<p>static</p>" and page.headers["access-control-allow-origin"] == "*"
    finally:
        server.stop()


def test_a_handler_on_the_command_line_wins(tmp_path):
    write_project(tmp_path, handler="app.js")
    (tmp_path / "other.js").write_text('function handler() { return Response.text("other"); }')
    server = start_server(["other.js"], cwd=tmp_path)
    try:
        assert server.get("/").text == "other"
    finally:
        server.stop()


def test_a_broken_file_is_reported_with_exit_2(tmp_path):
    (tmp_path / "zigttp.json").write_text("{not json")
    (tmp_path / "app.js").write_text(HANDLER)
    result = run_zigttp("serve", "app.js", "--port", "0", cwd=tmp_path)
    assert result.returncode == 2 and "zigttp.json" in result.stderr


def test_inline_code_ignores_the_files_handler(tmp_path):
    write_project(tmp_path, handler="app.js", port=9)
    server = start_server(["-e", 'function handler() { return Response.text("inline"); }'], cwd=tmp_path)
    try:
        assert server.get("/").text == "inline"
    finally:
        server.stop()
