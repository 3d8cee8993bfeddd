"""`zigttp init`: the scaffold is complete, its fixtures are valid and pass, it never overwrites."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from tests.conftest import run_zigttp, start_server

TEMPLATES = ["basic", "api", "htmx"]
EXPECTED_FILES = {"handler.test.jsonl", "zigttp.json", "README.md"}


def scaffold(tmp_path: Path, template: str, name: str = "myapp") -> Path:
    result = run_zigttp("init", name, "--template", template, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"Created {tmp_path / name}" in result.stdout
    return tmp_path / name


def parse_fixture(path: Path) -> list[dict]:
    """Spec §8: JSONL, blank lines separate tests, test → request → expect."""
    tests: list[dict] = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        assert isinstance(row, dict) and row.get("type") in {"test", "request", "io", "expect"}, number
        if row["type"] == "test":
            tests.append({"name": row["name"]})
        else:
            assert tests, f"line {number}: {row['type']} before any test"
            tests[-1][row["type"]] = row
    assert all("request" in t and "expect" in t for t in tests)
    return tests


@pytest.mark.parametrize("template", TEMPLATES)
def test_init_creates_the_project_files(tmp_path, template):
    project = scaffold(tmp_path, template)
    files = {str(p.relative_to(project)) for p in project.rglob("*") if p.is_file()}
    assert files >= EXPECTED_FILES
    assert any(f.startswith("public/") for f in files)
    handler = json.loads((project / "zigttp.json").read_text())["handler"]
    assert handler in files and handler in (project / "README.md").read_text()
    assert "myapp" in (project / "README.md").read_text()
    assert json.loads((project / "zigttp.json").read_text())["static"] == "public"


@pytest.mark.parametrize("template", TEMPLATES)
def test_scaffold_fixtures_pass_against_the_served_project(tmp_path, template):
    project = scaffold(tmp_path, template)
    tests = parse_fixture(project / "handler.test.jsonl")
    server = start_server([], cwd=project)  # handler and static dir come from zigttp.json
    try:
        for case in tests:
            request, expect = case["request"], case["expect"]
            response = requests.request(
                request["method"],
                server.url + request["url"],
                headers=request["headers"],
                data=request["body"],
                timeout=10,
            )
            assert response.status_code == expect["status"], case["name"]
            assert expect["bodyContains"] in response.text, case["name"]
        assert (
            requests.get(
                server.url + "/style.css" if template != "api" else server.url + "/", timeout=10
            ).status_code
            == 200
        )
    finally:
        server.stop()


def test_scaffold_passes_zigttp_test_when_available(tmp_path):
    if run_zigttp("test", "--help").returncode != 0:
        pytest.skip("`zigttp test` is not on this branch yet")
    for template in TEMPLATES:
        project = scaffold(tmp_path, template, name=f"app-{template}")
        handler = json.loads((project / "zigttp.json").read_text())["handler"]
        result = run_zigttp("test", "handler.test.jsonl", handler, cwd=project)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("template", TEMPLATES)
def test_scaffold_handler_passes_check_strict(tmp_path, template):
    project = scaffold(tmp_path, template)
    handler = json.loads((project / "zigttp.json").read_text())["handler"]
    result = run_zigttp("check", "--profile", "strict", handler, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr


def test_init_refuses_to_overwrite(tmp_path):
    project = tmp_path / "taken"
    project.mkdir()
    (project / "handler.js").write_text("// mine")
    result = run_zigttp("init", "taken", cwd=tmp_path)
    assert result.returncode == 2 and "refusing to overwrite" in result.stderr
    assert (project / "handler.js").read_text() == "// mine"
    assert sorted(p.name for p in project.iterdir()) == ["handler.js"]


def test_init_into_an_empty_directory_is_fine(tmp_path):
    (tmp_path / "empty").mkdir()
    assert run_zigttp("init", "empty", cwd=tmp_path).returncode == 0


def test_init_rejects_an_unknown_template(tmp_path):
    result = run_zigttp("init", "x", "--template", "nope", cwd=tmp_path)
    assert result.returncode == 2 and not (tmp_path / "x").exists()
