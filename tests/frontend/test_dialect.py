"""The original zigttp's dialect (`|>`, `match`, `assert`): desugaring, positions, misuse."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_zigttp
from tests.frontend.conftest import user_lines
from zigttp.errors import SourceError
from zigttp.frontend.pipeline import compile_source, diagnose


def _check(
    tmp_path: Path, source: str, name: str = "handler.ts", profile: str = "default"
) -> list[tuple[str, int, int]]:
    path = tmp_path / name
    path.write_text(source)
    return [(d.code, d.line, d.col) for d in diagnose(path, profile=profile).diagnostics]


def test_pipe_becomes_a_call_chain_on_the_same_line() -> None:
    code = compile_source("const v = 3 |> f |> g;\nfunction handler() {}", "h.ts").code
    assert code.splitlines()[0].endswith("const v = __zigttp_pipe(3 , f , g);")
    assert "|>" not in code


def test_pipe_inside_a_string_comment_or_template_is_left_alone() -> None:
    source = 'const s = "a |> b"; // x |> y\nconst t = `${1} |> 2`;\nconst v = 1 |> f;'
    code = compile_source(source, "h.ts").code
    assert '"a |> b"' in code and "// x |> y" in code and "`${1} |> 2`" in code
    assert "__zigttp_pipe(1 , f)" in code


def test_every_line_keeps_its_number(tmp_path: Path) -> None:
    source = (
        "function handler(req: Request): Response {\n"
        "    assert req.path !== '/x',\n"
        "        Response.json({ e: 1 }, { status: 400 });\n"
        "    return match (req.method) {\n"
        "        when 'GET': Response.json(1 |> String)\n"
        "        default: Response.text('no')\n"
        "    };\n"
        "}\n"
    )
    code = compile_source(source, "h.ts").code
    assert code.count("\n") == source.count("\n")
    lines = code.splitlines()
    assert "Response.json({ e: 1 }" in lines[2]
    assert "__zigttp_pipe(1 , String)" in lines[4]


def test_an_unused_variable_after_a_rewrite_is_reported_at_its_source_column(tmp_path: Path) -> None:
    # `__zigttp_pipe(` is inserted before `a`: the diagnostic for `unused` must not move.
    source = "const x = a |> f; const unused = 1;\nfunction handler() { return x; }\n"
    found = _check(tmp_path, source, profile="strict")
    assert ("ZT202", 1, 25) in found


def test_an_error_inside_a_match_arm_points_at_the_user_column(tmp_path: Path) -> None:
    source = (
        "function handler(req) {\n"
        "  return match (req.method) { when 'GET': Response.json(1)  default: with_(x) };\n"
        "  var late = 1;\n"
        "}\n"
    )
    found = _check(tmp_path, source, "handler.js", profile="strict")
    assert ("ZT101", 3, 3) in found


@pytest.mark.parametrize(
    ("source", "code", "line", "col"),
    [
        ("function handler(r) {\n  return match (r) { when foo(): 1 };\n}", "ZT021", 2, 27),
        ("function handler(r) {\n  return match (r) { when {a 1}: 1 };\n}", "ZT021", 2, 28),
        ("function handler(r) {\n  return match (r) { when 1 2 };\n}", "ZT021", 2, 22),
        ("function handler(r) {\n  return match (r) { };\n}", "ZT021", 2, 10),
        ("function handler(r) {\n  assert r.ok, ;\n  return 1;\n}", "ZT024", 2, 14),
        ("function handler(r) {\n  return 1 |> ;\n}", "ZT025", 2, 12),
        ("function handler(r) {\n  return (|> f);\n}", "ZT025", 2, 11),
    ],
)
def test_check_reports_dialect_misuse_at_file_line_col(
    tmp_path: Path, source: str, code: str, line: int, col: int
) -> None:
    assert (code, line, col) in _check(tmp_path, source, "handler.js")


def test_an_arm_after_the_fallback_is_a_warning(tmp_path: Path) -> None:
    source = "function handler(r) {\n  return match (r) { default: 1  when 2: 3 };\n}"
    found = _check(tmp_path, source, "handler.js")
    assert ("ZT023", 2, 34) in found


def test_misuse_fails_compilation_with_a_syntax_error_naming_the_place() -> None:
    with pytest.raises(SourceError) as caught:
        compile_source("function handler(r) {\n  return match (r) { when x: 1 };\n}", "h.js")
    assert "h.js:2:27" in str(caught.value)


def test_assert_call_and_assert_variable_are_ordinary_code() -> None:
    source = (
        "function assert(c) { return c; }\n"
        "assert(true);\n"
        "const v = 1 |> String;\n"
        "function handler() { assert(1); return assert; }\n"
    )
    code = compile_source(source, "h.js").code
    assert "assert(true);" in code and "if (!(" not in code


def test_match_is_an_ordinary_name_where_no_block_follows() -> None:
    source = "function match(x) { return x; }\nconst y = match(2) |> String;\nfunction handler() {}"
    code = compile_source(source, "h.js").code
    assert "__zigttp_pipe(match(2) , String)" in code and "__zigttp_match" not in code


def test_match_arms_that_await_make_the_match_awaited() -> None:
    source = (
        "async function handler(r) {\n"
        "  return match (r.method) { when 'GET': await Promise.resolve(1)  default: 2 };\n"
        "}"
    )
    code = compile_source(source, "h.js").code
    assert "(await __zigttp_match(" in code and "async () => ( await Promise.resolve(1))" in code


def test_check_accepts_the_dialect(tmp_path: Path) -> None:
    path = tmp_path / "handler.ts"
    path.write_text(
        'import { guard } from "zttp:compose";\n'
        "function pre(r: Request): Response | undefined { return undefined; }\n"
        "function main(r: Request): Response {\n"
        "  assert r.path !== '/x', Response.text('no', { status: 400 });\n"
        "  return match (r) { when { path: '/' }: Response.json(2 |> String)  default: Response.text('') };\n"
        "}\n"
        "const handler = guard(pre) |> main;\n"
    )
    result = run_zigttp("check", str(path))
    assert result.returncode == 0, result.stdout
    assert "no problems found" in result.stdout


def test_dialect_runs_in_a_real_server(serve) -> None:
    server = serve(
        'import { guard } from "zttp:compose";\n'
        "function key(r) { if (r.headers['x-key'] !== 'k') return Response.text('no', { status: 401 }); }\n"
        "function main(r) {\n"
        "  assert r.path !== '/forbidden', Response.text('forbidden', { status: 403 });\n"
        "  let sum = 0;\n"
        "  for (const i of range(1, 5)) sum += i;\n"
        "  return match (r) {\n"
        "    when { path: '/sum' }: Response.json({ sum: sum |> String })\n"
        "    default: Response.text('fallback')\n"
        "  };\n"
        "}\n"
        "const handler = guard(key) |> main;\n",
        "-n",
        "1",
    )
    key = {"x-key": "k"}
    assert server.get("/sum").status_code == 401
    assert server.get("/sum", headers=key).json() == {"sum": "10"}
    assert server.get("/forbidden", headers=key).status_code == 403
    assert server.get("/other", headers=key).text == "fallback"


def test_a_guard_chain_with_two_handlers_fails_at_load_naming_the_problem(tmp_path) -> None:
    # a guard held in a variable is invisible to `check` (ZT026): the runtime refuses the chain
    handler = tmp_path / "two.js"
    handler.write_text(
        'import { guard } from "zigttp:compose";\n'
        "const a = guard((r) => undefined);\n"
        "const handler = a |> ((r) => Response.text('1')) |> ((r) => Response.text('2'));\n"
    )
    path = tmp_path / "two.test.jsonl"
    path.write_text(
        '{"type":"test","name":"t"}\n{"type":"request","method":"GET","url":"/",'
        '"headers":{},"body":null}\n{"type":"expect","status":200}\n'
    )
    result = run_zigttp("test", str(path), str(handler))
    assert result.returncode == 1
    assert "exactly one handler between its guards, found 2" in result.stdout


def test_an_unreadable_dialect_file_warns_and_keeps_the_syntax_error(tmp_path: Path) -> None:
    found = _check(tmp_path, "const v = 1 |> f;\nconst s = 'open\n", "handler.js")
    assert ("ZT020", 2, 11) in found
    assert any(code == "ZT001" for code, _, _ in found)


def test_portable_profile_accepts_the_dialect_and_keeps_the_original_restrictions(
    tmp_path: Path,
) -> None:
    path = tmp_path / "handler.ts"
    path.write_text(
        "function handler(r: Request): Response {\n"
        "  assert r.path !== '/x', Response.text('no', { status: 400 });\n"
        "  let n = 0;\n"
        "  while (n < 3) n += 1;\n"
        "  return match (n |> String) { when '3': Response.text('three')  default: Response.text('?') };\n"
        "}\n"
    )
    result = run_zigttp("check", "--profile", "portable", str(path))
    assert result.returncode == 1
    assert f"{path}:4:3: error[ZT304]" in result.stdout
    assert result.stdout.count("error[") == 1, result.stdout


CASES = Path(__file__).parent / "cases"


@pytest.mark.parametrize(
    "case",
    sorted(p.name for p in (CASES / "jsx").iterdir() if p.suffix in (".jsx", ".tsx"))
    + sorted(p.name for p in (CASES / "strip").glob("*.ts")),
)
def test_a_pipe_added_to_any_golden_case_leaves_the_rest_of_its_output_alone(case: str) -> None:
    """The tokenizer must read real TS/JSX (generics, regexes, JSX text, templates) right."""
    path = next(p for p in (CASES / "jsx", CASES / "strip") if (p / case).exists()) / case
    source = path.read_text()
    try:
        plain = compile_source(source, path.name).code
    except SourceError as exc:  # an error case: the same errors, at the same places
        with pytest.raises(SourceError) as piped_error:
            compile_source(source + "\nconst __piped = 1 |> String;\n", path.name)
        assert _places(piped_error.value)[: len(_places(exc))] == _places(exc)
        return
    piped = compile_source(source + "\nconst __piped = 1 |> String;\n", path.name).code
    assert piped.startswith(user_lines(plain).rstrip("\n").rsplit("\nglobalThis.__zigttp_exports", 1)[0])
    assert "__zigttp_pipe(1 , String)" in piped


def _places(exc: SourceError) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.col) for d in exc.diagnostics]


@pytest.mark.parametrize(
    ("chain", "col"),
    [
        ("g(a) |> h |> h", 30),
        ("g(a) |> g(a)", 17),
    ],
)
def test_check_reports_a_guard_chain_without_exactly_one_handler(
    tmp_path: Path, chain: str, col: int
) -> None:
    source = (
        f'import {{ guard as g }} from "zttp:compose";\nconst a = (r) => undefined;\n'
        f"const h = (r) => Response.text('x');\nconst handler = {chain};\n"
    )
    assert _check(tmp_path, source, "handler.js") == [("ZT026", 4, col)]


def test_a_guard_chain_with_one_handler_checks_clean(tmp_path: Path) -> None:
    source = (
        'import { guard } from "zigttp:compose";\nconst a = (r) => undefined;\n'
        "const h = (r) => Response.text('x');\n"
        "const handler = guard(a) |> h |> guard(a);\n"
    )
    assert _check(tmp_path, source, "handler.js") == []
