"""The original project's newer names: `zttp:*` modules, `zttp.json`, `ZTTP_*` variables."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_zigttp
from zigttp.config import config_from_env, with_upstream_env
from zigttp.modules import find_module
from zigttp.project import load_config, project_defaults

FIXTURE = (
    '{"type":"test","name":"t"}\n'
    '{"type":"request","method":"GET","url":"/","headers":{},"body":null}\n'
    '{"type":"expect","status":200,"body":"%s"}\n'
)


def test_zttp_specifiers_name_the_same_modules() -> None:
    assert find_module("zttp:crypto") is find_module("zigttp:crypto")
    assert find_module("zttp:compose") is not None
    assert find_module("zttp:nope") is None


def test_zttp_env_names_configure_like_zigttp_ones_and_zigttp_wins() -> None:
    config = config_from_env({"ZTTP_POOL": "3", "ZTTP_TIMEOUT": "7", "ZIGTTP_TIMEOUT": "9"})
    assert (config.pool_size, config.timeout) == (3, 9.0)
    environ = {"ZTTP_HANDLER": "a.ts"}
    assert with_upstream_env(environ)["ZIGTTP_HANDLER"] == "a.ts"


def test_zttp_json_entry_is_the_handler_and_foreign_keys_are_skipped(tmp_path: Path, capsys) -> None:
    (tmp_path / "zttp.json").write_text(json.dumps({"entry": "src/h.ts", "sqlite": "s.sql", "port": 9}))
    config = project_defaults(tmp_path)
    assert config is not None
    assert config.options == {"handler": str((tmp_path / "src/h.ts").resolve()), "port": 9}
    assert "ignoring keys zigttp does not use: sqlite" in capsys.readouterr().err


def test_zigttp_json_beside_zttp_json_wins(tmp_path: Path) -> None:
    (tmp_path / "zttp.json").write_text(json.dumps({"entry": "a.ts"}))
    (tmp_path / "zigttp.json").write_text(json.dumps({"handler": "b.ts"}))
    config = project_defaults(tmp_path)
    assert config is not None and config.path.name == "zigttp.json"


def test_zttp_json_keeps_type_errors_of_the_keys_it_reads(tmp_path: Path) -> None:
    import pytest

    from zigttp.errors import UsageError

    (tmp_path / "zttp.json").write_text(json.dumps({"entry": 3}))
    with pytest.raises(UsageError, match="'entry' must be str"):
        load_config(tmp_path / "zttp.json")


def test_upstream_project_layout_runs_its_tests_dir(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "zttp.json").write_text('{"entry": "src/handler.ts"}')
    (tmp_path / "src" / "handler.ts").write_text(
        'import { slugify } from "zttp:text";\n'
        "function handler(req: Request): Response { return Response.text(slugify('Hello World')); }\n"
    )
    (tmp_path / "tests" / "handler.test.jsonl").write_text(FIXTURE % "hello-world")
    result = run_zigttp("test", "--strict-io", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed, 0 failed" in result.stdout


def test_any_fixture_pairs_with_any_handler(tmp_path: Path) -> None:
    handler = tmp_path / "h.js"
    handler.write_text("function handler(r) { return Response.text('x'); }\n")
    (tmp_path / "other.test.jsonl").write_text(FIXTURE % "x")
    result = run_zigttp("test", str(tmp_path / "other.test.jsonl"), str(handler))
    assert result.returncode == 0, result.stdout
