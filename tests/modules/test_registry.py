"""The module registry: every module file is found and honours the ModuleSpec contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zigttp.modules import ModuleContext, ModuleTypeError, builtin_modules, find_module

EXPECTED = {
    "auth", "cache", "compose", "crypto", "decode", "env", "fetch", "http", "id", "log",
    "ratelimit", "router", "sql", "text", "time", "url", "validate",
}  # fmt: skip


def test_every_module_is_registered() -> None:
    assert set(builtin_modules()) == EXPECTED


def test_find_module_accepts_specifier_and_bare_name() -> None:
    assert find_module("zigttp:ratelimit") is find_module("ratelimit")
    assert find_module("zigttp:nope") is None


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_create_returns_exactly_the_declared_exports(name: str, tmp_path: Path) -> None:
    spec = builtin_modules()[name]
    exports = spec.create(ModuleContext(state_dir=str(tmp_path)))
    assert set(exports) == set(spec.exports)
    assert all(callable(fn) for fn in exports.values())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_traceable_and_wrappers_name_real_exports(name: str) -> None:
    spec = builtin_modules()[name]
    assert spec.traceable <= set(spec.exports)
    assert set(spec.js_wrappers) <= set(spec.exports)


def test_non_traceable_exports_are_the_ones_fixtures_run_for_real() -> None:
    modules = builtin_modules()
    real = {
        name: set(spec.exports) - spec.traceable
        for name, spec in modules.items()
        if set(spec.exports) - spec.traceable
    }
    assert real == {
        "router": {"routerMatch"},
        "compose": {"guard", "pipe"},  # JavaScript only
        "fetch": {"fetchWithRetry"},  # each attempt is a traced `fetch`
        "sql": {"sql"},
        "validate": {"schemaCompile", "schemaDrop"},
        "log": {"logDebug", "logInfo", "logWarn", "logError"},
    }


def test_specs_are_hashable_despite_wrappers() -> None:
    assert len({spec for spec in builtin_modules().values()}) == len(EXPECTED)


def test_results_are_json_serialisable(tmp_path: Path) -> None:
    exports = builtin_modules()["ratelimit"].create(ModuleContext(state_dir=str(tmp_path)))
    json.dumps(exports["rateCheck"]("k", 1, 1))


def test_extra_arguments_are_ignored_like_in_js(tmp_path: Path) -> None:
    text = builtin_modules()["text"].create(ModuleContext(state_dir=str(tmp_path)))
    assert text["escapeHtml"]("<b>", 0, ["<b>"]) == "&lt;b&gt;"  # items.map(escapeHtml)


def test_missing_arguments_are_undefined_and_named(tmp_path: Path) -> None:
    ratelimit = builtin_modules()["ratelimit"].create(ModuleContext(state_dir=str(tmp_path)))
    with pytest.raises(ModuleTypeError, match="rateCheck: argument 'limit' must be an integer"):
        ratelimit["rateCheck"]("key")


def test_optional_arguments_keep_their_defaults(tmp_path: Path) -> None:
    text = builtin_modules()["text"].create(ModuleContext(state_dir=str(tmp_path)))
    assert text["truncate"]("Hello world", 8) == "Hello..."


def test_find_module_imports_only_what_it_is_asked_for() -> None:
    """Cold start: a handler importing zigttp:router must not pay for fetch's urllib.request."""
    import subprocess
    import sys

    probe = (
        "import sys; from zigttp.modules import find_module; find_module('router'); "
        "find_module('fetch'); "
        "print(sorted(m for m in ('zigttp.modules.sql', 'urllib.request', "
        "'email.utils') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr
