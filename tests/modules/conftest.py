"""Shared fixtures for module tests: a ModuleContext on a fresh state dir and a fake clock."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from zigttp.modules import ModuleContext, find_module


class FakeClock:
    """Epoch seconds that only move when a test says so."""

    def __init__(self, now: float = 1_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_ctx(tmp_path: Path, clock: FakeClock) -> Callable[..., ModuleContext]:
    def make(**options: Any) -> ModuleContext:
        return ModuleContext(state_dir=str(tmp_path / "state"), clock=clock, options=options)

    return make


@pytest.fixture
def load(make_ctx: Callable[..., ModuleContext]) -> Callable[..., dict[str, Any]]:
    """`load("ratelimit", sqlite=...)` → the export table of that module."""

    def load_module(name: str, **options: Any) -> dict[str, Any]:
        spec = find_module(name)
        assert spec is not None, name
        return spec.create(make_ctx(**options))

    return load_module
