"""`zigttp test --watch` reruns the fixtures when the handler changes."""

from __future__ import annotations

import queue
import signal
import subprocess
import threading
import time
from pathlib import Path

from tests.conftest import zigttp_command
from tests.testing.test_cli import HANDLER, PASSING


def read_until(lines: queue.Queue[str], needle: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            continue
        seen.append(line)
        if needle in line:
            return
    raise AssertionError(f"{needle!r} not seen in:\n{''.join(seen)}")


def test_watch_reruns_after_a_change(tmp_path: Path) -> None:
    (tmp_path / "app.js").write_text(HANDLER)
    (tmp_path / "app.test.jsonl").write_text(PASSING)
    process = subprocess.Popen(
        zigttp_command("test", "--watch", "app.test.jsonl", "app.js"),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    reader = threading.Thread(
        target=lambda: [lines.put(x) for x in process.stdout],  # type: ignore[union-attr]
        daemon=True,
    )
    reader.start()
    try:
        read_until(lines, "2 passed, 0 failed")
        read_until(lines, "Watching")
        time.sleep(0.5)
        (tmp_path / "app.js").write_text(HANDLER.replace('"hello "', '"bye "'))
        read_until(lines, "1 passed, 1 failed")
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        reader.join(5)  # EOF once the process is gone
        process.stdout.close()
