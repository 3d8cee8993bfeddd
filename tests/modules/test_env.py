"""zigttp:env: only allow-listed variables are visible."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from zigttp.modules import ModuleTypeError


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_NAME", "demo")
    monkeypatch.setenv("APP_MODE", "prod")
    monkeypatch.setenv("SECRET_KEY", "hunter2")


def test_allowed_exact_name_is_visible(load: Callable[..., dict[str, Any]]) -> None:
    assert load("env", env_allow=("APP_NAME",))["env"]("APP_NAME") == "demo"


def test_glob_pattern_allows_matching_names(load: Callable[..., dict[str, Any]]) -> None:
    env = load("env", env_allow=("APP_*",))["env"]
    assert (env("APP_NAME"), env("APP_MODE")) == ("demo", "prod")


def test_not_allowed_variable_is_undefined(load: Callable[..., dict[str, Any]]) -> None:
    assert load("env", env_allow=("APP_*",))["env"]("SECRET_KEY") is None


def test_nothing_is_visible_without_allow_list(load: Callable[..., dict[str, Any]]) -> None:
    assert load("env")["env"]("APP_NAME") is None


def test_allowed_but_unset_is_undefined(load: Callable[..., dict[str, Any]]) -> None:
    assert load("env", env_allow=("MISSING",))["env"]("MISSING") is None


def test_match_is_case_sensitive(load: Callable[..., dict[str, Any]]) -> None:
    assert load("env", env_allow=("app_*",))["env"]("APP_NAME") is None


def test_non_string_name_raises(load: Callable[..., dict[str, Any]]) -> None:
    with pytest.raises(ModuleTypeError, match="env: argument 'name'"):
        load("env")["env"](42)
