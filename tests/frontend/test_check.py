"""`check`: diagnostics format (headline, source line, caret, help), exit codes 0/1/2,
`--json`, colour only when asked, profiles."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from zigttp.errors import UsageError
from zigttp.frontend.check import run_check

Write = Callable[[str, str], Path]


def check(
    path: Path, *, profile: str = "default", json_output: bool = False, color: bool = False
) -> tuple[int, str]:
    out = io.StringIO()
    code = run_check([str(path)], json_output=json_output, profile=profile, color=color, out=out)
    return code, out.getvalue()


def test_clean_file_exits_0(write: Write) -> None:
    code, out = check(write("h.js", "function handler(req) { return Response.text('ok'); }\n"))
    assert code == 0 and "no problems found" in out


def test_error_exits_1_with_caret_and_help(write: Write) -> None:
    path = write("h.js", "function handler(req) {\n  var x = 1;\n  return x;\n}\n")
    code, out = check(path, profile="portable")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == f"{path}:2:3: error[ZT101]: 'var' is not supported"
    assert lines[1] == " 2 |   var x = 1;"
    assert lines[2] == "   |   ^"
    assert lines[3] == "   = help: use let or const"
    assert out.rstrip().endswith("1 error, 0 warnings")


def test_warnings_only_exit_2(write: Write) -> None:
    code, out = check(write("h.js", "function handler(req) { return req.a + missingName; }\n"))
    assert code == 2 and "warning[ZT204]" in out


def test_strict_profile_turns_loose_equality_into_error(write: Write) -> None:
    code, out = check(write("h.js", "function handler(req) { return req.a == 1; }\n"), profile="strict")
    assert code == 1 and "error[ZT203]" in out


def test_json_output_is_machine_readable(write: Write) -> None:
    code, out = check(
        write("h.js", "var a = 1;\nfunction handler() { return a; }\n"),
        json_output=True,
        profile="portable",
    )
    doc = json.loads(out)
    assert code == 1 and doc["success"] is False and doc["errors"] == 1
    first = doc["diagnostics"][0]
    assert {k: first[k] for k in ("line", "col", "code", "severity")} == {
        "line": 1,
        "col": 1,
        "code": "ZT101",
        "severity": "error",
    }
    assert first["hint"] == first["suggestion"] == "use let or const"
    assert first["column"] == first["col"]


def test_colour_only_when_requested(write: Write) -> None:
    path = write("h.js", "var a = 1;\nfunction handler() { return a; }\n")
    assert "\x1b[" not in check(path, profile="portable")[1]
    assert "\x1b[31m" in check(path, color=True, profile="portable")[1]


def test_missing_handler_is_an_error(write: Write) -> None:
    code, out = check(write("h.js", "const x = 1;\nexport { x };\n"))
    assert code == 1 and "ZT107" in out


def test_multiple_files_aggregate(write: Write) -> None:
    good = write("a.js", "function handler() { return 1; }\n")
    bad = write("b.js", "function handler() { with (a) {} }\n")
    out = io.StringIO()
    code = run_check([str(good), str(bad)], json_output=False, profile="portable", color=False, out=out)
    assert code == 1 and "ZT102" in out.getvalue()


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    code, out = check(tmp_path / "nope.js")
    assert code == 1 and "cannot read file" in out


def test_unknown_profile_is_usage_error(write: Write) -> None:
    with pytest.raises(UsageError):
        check(write("h.js", ""), profile="paranoid")


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("var a = 1;", "ZT101"),
        ("with (o) {}", "ZT102"),
        ("const a = [1,,2];", "ZT103"),
        ("eval('1');", "ZT104"),
        ("new Boolean(true);", "ZT105"),
        ("new Date();", "ZT106"),
        ("Date.parse('x');", "ZT106"),
    ],
)
def test_portable_profile_keeps_the_originals_subset(write: Write, source: str, code: str) -> None:
    exit_code, out = check(
        write("h.js", f"{source}\nfunction handler() {{ return 1; }}\n"), profile="portable"
    )
    assert exit_code == 1 and f"error[{code}]" in out


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("let n = 0;\nfunction handler() { n += 1; return n; }", "ZT201"),
        ("function handler() { const unused = 1; return 2; }", "ZT202"),
        ("function handler(r) { return r != 1; }", "ZT203"),
    ],
)
def test_portable_profile_warnings(write: Write, source: str, code: str) -> None:
    exit_code, out = check(write("h.js", source + "\n"), profile="portable")
    assert f"{code}]" in out and exit_code in (1, 2)


@pytest.mark.parametrize(
    "source",
    [
        "var a = 1;",
        "const d = new Date(2020, 1, 1).toISOString();",
        "const a = [1,,2];",
        "const b = new Boolean(true);",
        "const u = new URL('https://x').host;",
        "const t = setTimeout(() => {}, 1); clearTimeout(t);",
        "const e = eval('1');",
        "class A { m() { return this; } }",
        "function handler(r) { return r != 1; }",
    ],
)
def test_default_profile_is_full_javascript(write: Write, source: str) -> None:
    """Issue 17 item 6: ordinary Workers code (var, Date, classes, ==, web globals) checks clean."""
    code, out = check(write("h.js", f"{source}\nfunction handler() {{ return 1; }}\n"))
    assert code == 0, out


def test_unknown_global_is_a_warning_with_its_position(write: Write) -> None:
    path = write("h.js", "function handler(req) {\n  return Response.json(lodsh.pick(req, 'a'));\n}\n")
    code, out = check(path)
    assert code == 2
    assert out.splitlines()[0] == f"{path}:2:24: warning[ZT204]: unknown global `lodsh`"


@pytest.mark.parametrize(
    "source",
    [
        "function handler() { return typeof Deno === 'undefined' ? 1 : 2; }",  # feature detection
        "function helper() {}\nfunction handler() { return helper(); }",  # hoisted declaration
        "function handler({ a }, [b]) { try { return a + b; } catch (e) { return e; } }",
        "import { x } from './dep.js';\nfunction handler() { return x; }",
        "function handler() { return crypto.randomUUID() + structuredClone(1) + navigator.userAgent; }",
    ],
)
def test_declared_and_standard_names_are_not_unknown_globals(write: Write, source: str) -> None:
    write("dep.js", "export const x = 1;\n")
    _code, out = check(write("h.js", source + "\n"))
    assert "ZT204" not in out, out


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("class A {}", "ZT301"),
        ("const f = function () { return this; };", "ZT302"),
        ("const m = new Map();", "ZT303"),
        ("while (false) {}", "ZT304"),
        ("do {} while (false);", "ZT305"),
        ("for (let i = 0; i < 1; i += 1) {}", "ZT306"),
        ("for (const k in {}) {}", "ZT307"),
        ("switch (1) {}", "ZT308"),
        ("try {} catch (e) {}", "ZT309"),
        ("function t() { throw 1; }", "ZT310"),
        ("let i = 0; i++;", "ZT312"),
        ("const n = null;", "ZT313"),
        ("const r = /x/;", "ZT314"),
        ("const o = {a: 1}; delete o.a;", "ZT315"),
    ],
)
def test_strict_profile_errors(write: Write, source: str, code: str) -> None:
    path = write("h.js", f"{source}\nfunction handler() {{ return 1; }}\n")
    assert check(path)[0] == 0  # allowed by the default profile
    exit_code, out = check(path, profile="strict")
    assert exit_code == 1 and f"error[{code}]" in out


def test_for_of_is_allowed_in_strict(write: Write) -> None:
    code, _ = check(
        write("h.js", "function handler() { for (const x of [1]) { return x; } }\n"),
        profile="strict",
    )
    assert code == 0


def test_underscore_prefix_silences_unused(write: Write) -> None:
    code, _ = check(write("h.js", "function handler() { const _x = 1; return 2; }\n"), profile="portable")
    assert code == 0


def test_handler_local_shadow_is_not_module_state(write: Write) -> None:
    source = "let n = 0;\nfunction handler() { let n = 1; n += 1; return n; }\nn = 2;\n"
    code, out = check(write("h.js", source))
    assert "ZT201" not in out, out
    assert code == 0


def test_default_export_fetch_writes_are_module_state(write: Write) -> None:
    source = "let n = 0;\nexport default { fetch(req) { n += 1; return n; } };\n"
    code, out = check(write("h.js", source))
    assert code == 2 and "warning[ZT201]" in out


def test_other_exported_functions_are_not_handlers(write: Write) -> None:
    source = "let n = 0;\nexport function reset() { n = 0; }\nexport function handler() { return n; }\n"
    code, out = check(write("h.js", source))
    assert "ZT201" not in out and code == 0


def test_writes_in_helpers_called_by_the_handler_count(write: Write) -> None:
    source = (
        "let n = 0;\nfunction bump() { n += 1; }\nfunction step() { bump(); }\n"
        "function handler() { step(); return n; }\n"
    )
    code, out = check(write("h.js", source))
    assert code == 2 and f"{out.count('ZT201')}" == "1" and ":2:19:" in out
