"""Front-end test helpers: an isolated cache, a fake module registry, and a real QuickJS
context loaded with the JSX runtime and stand-ins for the runtime prelude."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.jscontext import JsContext
from zigttp.frontend import imports
from zigttp.modules import ModuleSpec, module_name

JSX_RUNTIME = Path(__file__).resolve().parents[2] / "zigttp" / "runtime" / "js" / "jsx_runtime.js"
PRELUDE_STUB = """
function __zigttp_import(name) { return globalThis.__fake_modules[name]; }
globalThis.__fake_modules = {
  env: { env: function (k) { return "env:" + k; } },
  ratelimit: {
    rateCheck: function () { return { ok: true }; },
    rateReset: function () { return true; },
  },
};
"""
SITES_LINE = re.compile(r"\n(function \$j[^\n]*)\Z")  # compiled JSX's site declarations


def user_lines(code: str) -> str:
    """A compiled snippet without exports, minus the line of JSX site declarations the front
    end adds after the user's last line (`jsx_template.site_declarations`)."""
    return SITES_LINE.sub("", code)


def site_plans(code: str) -> str:
    """The site declarations of compiled code, as `$j0=[plan]; $j1=[plan]` (for reading)."""
    found = re.findall(r"function (\$j\w*)\([^)]*\)\{return\(\1=\$j\.site\((\[.*?\])\)\)", code)
    return "; ".join(f"{name}={plan}" for name, plan in found)


FAKE_MODULES = {
    "env": ModuleSpec(name="env", exports=("env",), create=lambda ctx: {}),
    "ratelimit": ModuleSpec(name="ratelimit", exports=("rateCheck", "rateReset"), create=lambda ctx: {}),
    "compose": ModuleSpec(name="compose", exports=("guard", "pipe"), create=lambda ctx: {}),
}


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("ZIGTTP_CACHE_DIR", str(cache))
    monkeypatch.delenv("ZIGTTP_NO_CACHE", raising=False)
    return cache


@pytest.fixture(autouse=True)
def fake_modules(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real modules are written elsewhere; imports are resolved against these two."""
    monkeypatch.setattr(imports, "find_module", lambda spec: FAKE_MODULES.get(module_name(spec)))


def new_context() -> Any:
    ctx = JsContext()
    ctx.eval(PRELUDE_STUB)
    ctx.eval(JSX_RUNTIME.read_text(encoding="utf-8"))
    return ctx


@pytest.fixture
def context() -> Callable[[], Any]:
    """context() → a fresh QuickJS context with the JSX runtime and prelude stand-ins."""
    return new_context


@pytest.fixture
def js() -> Callable[[str, str], Any]:
    """js(compiled_code, expression) → the expression's value in a fresh context."""

    def run(code: str, expression: str) -> Any:
        ctx = new_context()
        ctx.eval(code)
        return ctx.eval(expression)

    return run


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """write("dir/name.ts", text) → path under a temporary project root."""

    def put(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return put


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    (tmp_path / "zigttp.json").write_text("{}")
    yield tmp_path
