"""Every example handler passes its fixture (the CI run of `zigttp test` over examples/).

Examples written in TypeScript/JSX or importing `zigttp:*` modules are skipped, with the reason,
while the front end or the module in question is not available in this build; they are never
counted as passing without running.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_zigttp
from zigttp.commands.test import fixture_modules
from zigttp.modules._loader import load_modules
from zigttp.testing.fixtures import load_fixture
from zigttp.testing.runner import run_fixture

EXAMPLES = ROOT / "examples"
PAIRS = [
    ("hello.test.jsonl", "hello.js"),
    ("handler.test.jsonl", "handler.ts"),
    ("handler-tsx.test.jsonl", "handler.tsx"),
    ("jsx-ssr.test.jsonl", "jsx-ssr.jsx"),
    ("api.test.jsonl", "api.ts"),
    ("htmx-todo/handler.test.jsonl", "htmx-todo/handler.js"),
    ("ratelimit.test.jsonl", "ratelimit.ts"),
    ("auth.test.jsonl", "auth.ts"),
    ("sql-crud.test.jsonl", "sql-crud.ts"),
    ("embed/handler.test.jsonl", "embed/handler.ts"),
    (
        "sse.test.jsonl",
        "sse.js",
    ),  # a streamed (ReadableStream) body: Server-Sent Events  # a user module, named in the fixture
    # the original zigttp's dialect (|>, match, assert, range, zttp:compose), its style
    ("original/match-routes.test.jsonl", "original/match-routes.ts"),
    ("original/guards.test.jsonl", "original/guards.ts"),
    ("original/probes.test.jsonl", "original/probes.ts"),
    ("original/project/tests/handler.test.jsonl", "original/project/src/handler.ts"),  # zttp.json
]


@cache
def _lowers(source: str, filename: str, leftover: str) -> bool:
    from zigttp.errors import ZigttpError
    from zigttp.frontend.pipeline import compile_source

    try:
        return leftover not in compile_source(source, filename).code
    except ZigttpError:
        return False


def missing_support(handler: Path) -> str | None:
    from zigttp.modules import find_module

    if handler.suffix in (".ts", ".tsx") and not _lowers("let x: number = 1;", "probe.ts", ": number"):
        return "the TypeScript front end is not in this build yet"
    if handler.suffix in (".jsx", ".tsx") and not _lowers("let x = <b>y</b>;", "probe.jsx", "= <b>"):
        return "the JSX front end is not in this build yet"
    modules = re.findall(r'from "zigttp:(\w+)"', handler.read_text())
    absent = [name for name in modules if find_module(name) is None]
    return f"zigttp:{', zigttp:'.join(absent)} not in this build yet" if absent else None


@pytest.mark.parametrize(("fixture", "handler"), PAIRS, ids=[h for _, h in PAIRS])
def test_example_passes_its_fixture(fixture: str, handler: str) -> None:
    parsed = load_fixture(EXAMPLES / fixture)
    extra = load_modules(fixture_modules(parsed)) if parsed.modules else ()
    reason = missing_support(EXAMPLES / handler)
    if reason:
        pytest.skip(reason)
    run = run_fixture(parsed, str(EXAMPLES / handler), strict_io=True, extra_modules=extra)
    failures = {r.name: r.reasons for r in run.results if r.status != "pass"}
    assert failures == {}
    assert len(run.results) >= 2


def test_every_example_handler_has_a_fixture() -> None:
    handlers = {
        p.relative_to(EXAMPLES).as_posix()
        for p in EXAMPLES.rglob("*")
        if p.suffix in (".js", ".jsx", ".ts", ".tsx") and not {"static", "public"} & set(p.parts)
    }
    assert handlers
    assert handlers == {h for _, h in PAIRS}


def test_discovery_over_examples_runs_every_fixture() -> None:
    if any(missing_support(EXAMPLES / h) for _, h in PAIRS):
        pytest.skip("some examples need parts not in this build yet")
    result = run_zigttp("test", "--strict-io", cwd=EXAMPLES)
    assert result.returncode == 0, result.stdout
    assert result.stdout.count("Testing ") == len(PAIRS)


def test_htmx_is_served_from_the_static_directory() -> None:
    assert (EXAMPLES / "htmx-todo" / "public" / "htmx.min.js").stat().st_size > 10_000
