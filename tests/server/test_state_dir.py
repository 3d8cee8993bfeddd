"""The per-server state directory (shared cache, ratelimit counters) never outlives its server.

Issue 19.11: `zigttp-state-*` directories holding cached values were never removed (1,522 piled
up in /tmp in one day of tests). Each server's TMPDIR here is the test's own directory.
"""

from __future__ import annotations

import os
import signal
import stat
import time
from collections.abc import Callable
from pathlib import Path

import pytest

HANDLER = r"""
import { cacheSet } from "zigttp:cache";
export function handler(req) { cacheSet("ns", "k", "secret"); return Response.text("ok"); }
"""


def _eventually(condition: Callable[[], bool], within: float = 30.0) -> bool:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def state_dirs(tmp: Path) -> list[Path]:
    return sorted(tmp.glob("zigttp-state-*"))


@pytest.fixture
def tmp(tmp_path: Path) -> Path:
    path = tmp_path / "tmp"
    path.mkdir()
    return path


@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_state_dir_is_private_and_removed_on_a_clean_exit(serve, tmp: Path, workers: str) -> None:
    server = serve(HANDLER, "-w", workers, "-q", env={"TMPDIR": str(tmp)})
    assert server.get("/").text == "ok"
    [state] = state_dirs(tmp)
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    assert any(state.iterdir())  # the cache's SQLite file lives here
    assert server.stop() == 0
    assert state_dirs(tmp) == []


def test_a_killed_servers_state_dir_is_removed_by_the_next_start(serve, tmp: Path) -> None:
    killed = serve(HANDLER, "-w", "1", "-q", env={"TMPDIR": str(tmp)})
    assert killed.get("/").text == "ok"
    killed.stop(signal.SIGKILL)
    [leftover] = state_dirs(tmp)
    alive = tmp / f"zigttp-state-{os.getpid()}-live"  # a running process's: must be kept
    alive.mkdir()
    server = serve(HANDLER, "-w", "1", "-q", env={"TMPDIR": str(tmp)})
    assert server.get("/").text == "ok"  # (the sweep comes after the start: SWEEP_AFTER)
    assert _eventually(lambda: not leftover.exists())
    assert alive.exists()
    assert len(state_dirs(tmp)) == 2  # the live one and the new server's
    server.stop()
    assert state_dirs(tmp) == [alive]
