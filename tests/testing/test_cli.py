"""`zigttp test` as users run it: output lines, closing line, exit codes, --json, discovery."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_zigttp

HANDLER = """function handler(req) {
  if (req.path === "/missing") return Response.json({ error: "Not Found" }, { status: 404 });
  return Response.text("hello " + req.path);
}
"""
PASSING = """{"type":"test","name":"root says hello"}
{"type":"request","method":"GET","url":"/","headers":{},"body":null}
{"type":"expect","status":200,"body":"hello /"}

{"type":"test","name":"unknown is 404"}
{"type":"request","method":"GET","url":"/missing","headers":{},"body":null}
{"type":"expect","status":404,"bodyContains":"Not Found"}
"""
FAILING = """{"type":"test","name":"wrong status"}
{"type":"request","url":"/"}
{"type":"expect","status":201}
"""


def project(tmp_path: Path, fixture: str = PASSING, name: str = "app") -> Path:
    (tmp_path / f"{name}.js").write_text(HANDLER)
    (tmp_path / f"{name}.test.jsonl").write_text(fixture)
    return tmp_path


def test_all_pass_exit_0_with_pass_lines_and_closing_line(tmp_path: Path) -> None:
    project(tmp_path)
    result = run_zigttp("test", "app.test.jsonl", "app.js", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "PASS root says hello" in lines
    assert "PASS unknown is 404" in lines
    assert lines[-1] == "2 passed, 0 failed"


def test_any_failure_exit_1_with_reason(tmp_path: Path) -> None:
    project(tmp_path, PASSING + "\n" + FAILING)
    result = run_zigttp("test", "app.test.jsonl", "app.js", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    index = lines.index("FAIL wrong status")
    assert lines[index + 1].strip() == "expected status: 201, actual status: 200"
    assert lines[-1] == "2 passed, 1 failed"


def test_invalid_fixture_exit_2_naming_file_and_line(tmp_path: Path) -> None:
    project(tmp_path, PASSING + '{"type":"bogus"}\n')
    result = run_zigttp("test", "app.test.jsonl", "app.js", cwd=tmp_path)
    assert result.returncode == 2
    assert "app.test.jsonl:8:" in result.stderr
    assert 'unknown type "bogus"' in result.stderr
    assert "PASS" not in result.stdout  # nothing ran


def test_skipped_tests_are_counted(tmp_path: Path) -> None:
    skipped = '{"type":"test","name":"later","skip":"not yet"}\n{"type":"request"}\n{"type":"expect"}\n'
    project(tmp_path, PASSING + "\n" + skipped)
    result = run_zigttp("test", "app.test.jsonl", "app.js", cwd=tmp_path)
    assert result.returncode == 0
    assert "SKIP later (not yet)" in result.stdout
    assert result.stdout.splitlines()[-1] == "2 passed, 0 failed, 1 skipped"


def test_json_output(tmp_path: Path) -> None:
    project(tmp_path, PASSING + "\n" + FAILING)
    result = run_zigttp("test", "--json", "app.test.jsonl", "app.js", cwd=tmp_path)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert (data["passed"], data["failed"], data["skipped"], data["success"]) == (2, 1, 0, False)
    tests = data["fixtures"][0]["tests"]
    assert [t["status"] for t in tests] == ["pass", "pass", "fail"]
    assert tests[2]["reasons"] == ["expected status: 201, actual status: 200"]
    assert tests[2]["actual"]["status"] == 200
    assert tests[2]["line"] == 9


def test_discovery_without_arguments(tmp_path: Path) -> None:
    project(tmp_path)
    sub = tmp_path / "sub"
    sub.mkdir()
    project(sub, FAILING, name="other")
    (tmp_path / "node_modules").mkdir()
    project(tmp_path / "node_modules", FAILING, name="ignored")
    result = run_zigttp("test", cwd=tmp_path)
    assert result.returncode == 1
    assert "Testing app.js (2 tests from app.test.jsonl)" in result.stdout
    assert "Testing sub/other.js (1 test from sub/other.test.jsonl)" in result.stdout
    assert "ignored" not in result.stdout
    assert result.stdout.splitlines()[-1] == "2 passed, 1 failed"


def test_discovery_uses_handler_field_of_first_row(tmp_path: Path) -> None:
    (tmp_path / "server.js").write_text(HANDLER)
    first, rest = PASSING.split("\n", 1)
    with_handler = first[:-1] + ',"handler":"server.js"}\n' + rest
    (tmp_path / "routes.test.jsonl").write_text(with_handler)
    result = run_zigttp("test", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Testing server.js" in result.stdout


def test_single_argument_may_be_the_handler(tmp_path: Path) -> None:
    project(tmp_path)
    result = run_zigttp("test", "app.js", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.splitlines()[-1] == "2 passed, 0 failed"


def test_fixture_without_handler_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "orphan.test.jsonl").write_text(PASSING)
    result = run_zigttp("test", cwd=tmp_path)
    assert result.returncode == 2
    assert "no handler for this fixture" in result.stderr


def test_no_fixtures_found_is_exit_2(tmp_path: Path) -> None:
    result = run_zigttp("test", cwd=tmp_path)
    assert result.returncode == 2
    assert "no *.test.jsonl fixtures found" in result.stderr


def test_missing_handler_file_is_exit_1(tmp_path: Path) -> None:
    (tmp_path / "app.test.jsonl").write_text(PASSING)
    result = run_zigttp("test", "app.test.jsonl", "nope.js", cwd=tmp_path)
    assert result.returncode == 1
    assert "handler file not found: nope.js" in result.stderr


def test_empty_fixture_passes_with_notice(tmp_path: Path) -> None:
    project(tmp_path, "\n")
    result = run_zigttp("test", "app.test.jsonl", "app.js", cwd=tmp_path)
    assert result.returncode == 0
    assert "No tests found in 'app.test.jsonl'" in result.stdout
    assert result.stdout.splitlines()[-1] == "0 passed, 0 failed"


def test_strict_io_flag_makes_divergence_fail(tmp_path: Path) -> None:
    unused_io = PASSING.replace(
        '{"type":"expect","status":200,"body":"hello /"}',
        '{"type":"io","module":"env","fn":"env","args":["X"],"result":"y"}\n'
        '{"type":"expect","status":200,"body":"hello /"}',
    )
    project(tmp_path, unused_io)
    relaxed = run_zigttp("test", "app.test.jsonl", "app.js", cwd=tmp_path)
    assert relaxed.returncode == 0
    assert "warning: io divergence: io row at line 3 (env.env) was not used" in relaxed.stdout
    strict = run_zigttp("test", "--strict-io", "app.test.jsonl", "app.js", cwd=tmp_path)
    assert strict.returncode == 1
    assert "FAIL root says hello" in strict.stdout


def test_handler_that_does_not_compile_fails_every_test(tmp_path: Path) -> None:
    project(tmp_path)
    (tmp_path / "app.js").write_text("function handler(req) {\n  return Response.text(\n}\n")
    result = run_zigttp("test", "app.test.jsonl", "app.js", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.count("FAIL ") == 2
    assert "error: app.js:2:3: error[ZT001]" in result.stdout
    assert result.stdout.splitlines()[-1] == "0 passed, 2 failed"


BILLING = """import zigttp


@zigttp.native("zigttp:billing")
def charge(cents: int) -> dict:
    return {"charged": cents, "real": True}
"""
SHOP = (
    'import { charge } from "zigttp:billing";\n'
    "export function handler(r: Request): Response { return Response.json(charge(5)); }\n"
)
SHOP_FIXTURE = """{"type":"test","name":"charge is stubbed"}
{"type":"request","url":"/"}
{"type":"io","module":"billing","fn":"charge","args":[5],"result":{"charged":5,"real":false}}
{"type":"expect","status":200,"body":"{\\"charged\\":5,\\"real\\":false}"}
"""


def test_module_flag_loads_user_modules_for_fixtures(tmp_path: Path) -> None:
    (tmp_path / "billing.py").write_text(BILLING)
    (tmp_path / "shop.ts").write_text(SHOP)
    (tmp_path / "shop.test.jsonl").write_text(SHOP_FIXTURE)
    result = run_zigttp("test", "--strict-io", "--module", "billing.py", "shop.ts", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    replay = run_zigttp(
        "serve", "--module", "billing.py", "--replay", "shop.test.jsonl", "shop.ts", cwd=tmp_path
    )
    assert replay.returncode == 0, replay.stdout + replay.stderr
