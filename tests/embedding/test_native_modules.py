"""User-defined native modules: @zigttp.native functions called from JS through the bridge."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import zigttp
from zigttp.errors import UsageError
from zigttp.modules import find_module
from zigttp.modules._loader import load_modules


@zigttp.native("zigttp:t_echo")
def echo(value: Any) -> Any:
    return value


@zigttp.native("zigttp:t_echo", name="add")
def add_numbers(a: int, b: float = 0.5) -> float:
    return a + b


@zigttp.native("zigttp:t_echo")
def fail(message: str) -> None:
    raise RuntimeError(message)


def run(handler_body: str, *modules: str, url: str = "/") -> zigttp.Response:
    source = f"function handler(r) {{ const m = __zigttp_import('t_echo'); {handler_body} }}"
    config = zigttp.ServerConfig(pool_size=1, modules=modules or ("zigttp:t_echo",))
    with zigttp.Runtime(source, config) as rt:
        return rt.handle("GET", url)


@pytest.mark.parametrize(
    "literal",
    [
        "true",
        "false",
        "0",
        "42",
        "-7",
        "1.5",
        '"héllo"',
        '[1, "a", null]',
        '{"a": {"b": [true]}}',
        "[]",
        "{}",
    ],
)
def test_each_json_type_round_trips(literal: str) -> None:
    response = run(f"return Response.json({{out: m.echo({literal})}});")
    assert response.status == 200, response.text()
    assert response.json() == {"out": zigttp.Response(200, body=literal.encode()).json()}


def test_null_result_is_undefined_in_js() -> None:
    assert run("return Response.text(String(m.echo(null)));").text() == "undefined"


def test_export_can_be_renamed_and_defaults_apply() -> None:
    assert run("return Response.json([m.add(1), m.add(1, 2)]);").json() == [1.5, 3]


def test_extra_arguments_are_ignored_as_in_js() -> None:
    assert run("return Response.json(m.add(1, 2, 3, 4));").json() == 3


def test_wrong_argument_type_is_a_js_type_error() -> None:
    body = "try { m.add('x'); } catch (e) { return Response.text(e.name + ': ' + e.message); }"
    assert run(body).text() == "TypeError: zigttp:t_echo.add: argument 'a' must be number, got string"


def test_missing_required_argument_is_a_type_error() -> None:
    body = "try { m.add(); } catch (e) { return Response.text(e.name); }"
    assert run(body).text() == "TypeError"


def test_python_exception_is_a_js_error_with_the_message() -> None:
    body = "try { m.fail('card declined'); } catch (e) { return Response.text(e.name + ': ' + e.message); }"
    assert run(body).text() == "Error: zigttp:t_echo.fail failed: card declined"


def test_uncaught_python_exception_is_a_500_with_the_message() -> None:
    response = run("m.fail('card declined'); return Response.text('unreachable');")
    assert response.status == 500
    assert "card declined" in response.text()


def test_configured_module_is_visible_to_find_module() -> None:
    load_modules(["zigttp:t_echo"])
    spec = find_module("zigttp:t_echo")
    assert spec is not None and set(spec.exports) == {"echo", "add", "fail"}


def test_module_from_a_python_file(tmp_path: Path) -> None:
    path = tmp_path / "pricing.py"
    path.write_text(
        "import zigttp\n\n@zigttp.native('zigttp:t_pricing')\n"
        "def price(sku: str) -> int:\n    return len(sku) * 100\n"
    )
    (spec,) = load_modules([str(path)])
    assert (spec.name, spec.exports) == ("t_pricing", ("price",))
    source = "function handler() { return Response.json(__zigttp_import('t_pricing').price('abc')); }"
    with zigttp.Runtime(source, zigttp.ServerConfig(pool_size=1, modules=(str(path),))) as rt:
        assert rt.handle().json() == 300


def test_module_spec_file_like_the_builtins(tmp_path: Path) -> None:
    path = tmp_path / "clock_mod.py"
    path.write_text(
        "from zigttp.modules import ModuleSpec\n"
        "MODULE = ModuleSpec('t_clock', ('now',), lambda ctx: {'now': lambda: 1234})\n"
    )
    (spec,) = load_modules([str(path)])
    assert find_module("t_clock") is spec


def test_module_by_dotted_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "t_dotted_pkg").mkdir()
    (tmp_path / "t_dotted_pkg" / "__init__.py").write_text("")
    (tmp_path / "t_dotted_pkg" / "tax.py").write_text(
        "import zigttp\n\n@zigttp.native('zigttp:t_tax')\ndef vat(cents: int) -> int:\n    return cents // 5\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    (spec,) = load_modules(["t_dotted_pkg.tax"])
    assert spec.exports == ("vat",)


def test_file_declaring_nothing_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "empty_mod.py"
    path.write_text("X = 1\n")
    with pytest.raises(UsageError, match=r"declares no @zigttp\.native"):
        load_modules([str(path)])


def test_undeclared_specifier_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="zigttp:t_nothing"):
        load_modules(["zigttp:t_nothing"])


def test_missing_file_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="no such Python file"):
        load_modules(["/nonexistent/billing.py"])


class StubTap:
    """What a fixture `io` row does: answer the call without running the real function."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, list[Any]]] = []

    def call(self, module: str, fn: str, args: list[Any], real: Callable[[], Any]) -> Any:
        self.calls.append((module, fn, args))
        return {"stubbed": args[0]} if fn == "echo" else real()


def test_io_tap_stubs_a_user_module_call() -> None:
    source = "function handler() { const m = __zigttp_import('t_echo'); return Response.json([m.echo(5), m.add(1)]); }"
    with zigttp.Runtime(source, zigttp.ServerConfig(pool_size=1, modules=("zigttp:t_echo",))) as rt:
        tap = StubTap()
        rt.handler.taps[0] = tap
        assert rt.handle().json() == [{"stubbed": 5}, 1.5]
    assert tap.calls == [("t_echo", "echo", [5]), ("t_echo", "add", [1])]
    assert find_module("t_echo").traceable == frozenset({"echo", "add", "fail"})  # type: ignore[union-attr]


FRONTEND = importlib.util.find_spec("zigttp.frontend.check") is not None


@pytest.mark.skipif(
    not FRONTEND, reason="the tree-sitter front end (zigttp.frontend.check) is not merged yet"
)
def test_check_reports_an_unknown_export_of_a_user_module(tmp_path: Path) -> None:
    from tests.conftest import run_zigttp

    module = tmp_path / "billing_chk.py"
    module.write_text(
        "import zigttp\n\n@zigttp.native('zigttp:t_billing_chk')\n"
        "def charge(cents: int) -> int:\n    return cents\n"
    )
    handler = tmp_path / "handler.ts"
    handler.write_text(
        'import { charge, refund } from "zigttp:t_billing_chk";\n'
        "export function handler(r: Request) { return Response.json(charge(1)); }\n"
    )
    result = run_zigttp("check", "--module", str(module), str(handler))
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert f"{handler}:1:18: error" in output and "no export named `refund`" in output


@zigttp.native("zigttp:t_fixture")
def charge(cents: int) -> dict:
    raise AssertionError("a stubbed call must not reach the real function")


FIXTURES = importlib.util.find_spec("zigttp.testing") is not None


@pytest.mark.skipif(not FIXTURES, reason="the fixture runner (zigttp.testing, issue 5) is not merged yet")
def test_fixture_io_row_stubs_a_user_module(tmp_path: Path) -> None:
    from zigttp.testing.fixtures import parse_fixture_text
    from zigttp.testing.runner import run_fixture

    handler = tmp_path / "handler.ts"
    handler.write_text(
        'import { charge } from "zigttp:t_fixture";\n'
        "export function handler(r: Request): Response { return Response.json(charge(5)); }\n"
    )
    fixture = parse_fixture_text(
        "\n".join(
            [
                '{"type": "test", "name": "charge is stubbed"}',
                '{"type": "request", "method": "GET", "url": "/"}',
                '{"type": "io", "module": "zigttp:t_fixture", "fn": "charge", "args": [5], "result": {"charged": 999}}',
                '{"type": "expect", "status": 200, "body": "{\\"charged\\":999}"}',
            ]
        ),
        str(tmp_path / "handler.test.jsonl"),
    )
    run = run_fixture(fixture, str(handler), extra_modules=load_modules(["zigttp:t_fixture"]))
    assert [(r.status, r.reasons, r.warnings) for r in run.results] == [("pass", [], [])]
