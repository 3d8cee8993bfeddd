"""zigttp.lean_threads: the start path's threads without `threading` (what it must keep of it)."""

from __future__ import annotations

import subprocess
import sys
import time

from zigttp.lean_threads import Event, start_daemon


def test_an_event_wakes_its_waiters_when_set_and_times_out_when_not() -> None:
    event = Event()
    assert not event.is_set()
    started = time.monotonic()
    assert event.wait(0.05) is False
    assert time.monotonic() - started >= 0.04
    woke: list[bool] = []
    done = Event()
    for _ in range(3):
        start_daemon(lambda: (woke.append(event.wait(10)), done.set()), "waiter")
    time.sleep(0.05)
    event.set()
    deadline = time.monotonic() + 10
    while len(woke) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert woke == [True, True, True]
    assert event.wait(0) is True  # (set: no wait)
    event.clear()
    assert not event.is_set() and event.wait(0) is False


def test_a_daemon_thread_runs_its_target_with_the_stack_it_asks_for() -> None:
    seen: list[int] = []
    done = Event()

    def deep(n: int) -> int:
        return 0 if n == 0 else 1 + deep(n - 1)

    def target() -> None:
        seen.append(deep(2000))  # (more than a small default stack holds with the limit raised)
        done.set()

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(5000)
    try:
        start_daemon(target, "deep", stack_size=16 * 1024 * 1024)
        assert done.wait(10)
    finally:
        sys.setrecursionlimit(limit)
    assert seen == [2000]


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_an_exception_in_a_daemon_thread_is_printed_with_its_name() -> None:
    ran = run_python(
        "import time\nfrom zigttp.lean_threads import start_daemon\n"
        "def boom():\n    raise ValueError('boom in a thread')\n"
        "start_daemon(boom, 'zigttp-test')\ntime.sleep(0.5)\n"
    )
    assert ran.returncode == 0
    assert "Exception in thread zigttp-test:" in ran.stderr
    assert "ValueError: boom in a thread" in ran.stderr


def test_threading_imported_first_by_another_thread_still_knows_the_main_thread() -> None:
    """uvloop asks `threading.main_thread()` whether it may install signal handlers."""
    ran = run_python(
        "import _thread\nfrom zigttp import lean_threads\n"
        "done = lean_threads.Event()\n"
        "lean_threads.start_daemon(lambda: (__import__('threading'), done.set()), 'pool')\n"
        "assert done.wait(10)\n"
        "import threading\n"
        "print('before', threading.main_thread().ident == _thread.get_ident())\n"
        "lean_threads.import_threading_here()\n"
        "print('after', threading.main_thread().ident == _thread.get_ident(),"
        " threading.current_thread() is threading.main_thread())\n"
        "worker = threading.Thread(target=print, args=('joined',)); worker.start(); worker.join()\n"
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split("\n")[:3] == ["before False", "after True True", "joined"]


def test_a_thread_is_known_to_threading_by_its_name_before_and_after_its_import() -> None:
    ran = run_python(
        "from zigttp import lean_threads\n"
        "names = []\n"
        "go, done = lean_threads.Event(), lean_threads.Event()\n"
        "def early():\n"
        "    go.wait(10)\n"
        "    lean_threads.take_name('zigttp-early')\n"
        "    names.append(__import__('threading').current_thread().name)\n"
        "    done.set()\n"
        "lean_threads.start_daemon(early, 'zigttp-early')\n"
        "import threading\n"
        "go.set(); assert done.wait(10)\n"
        "late = lean_threads.Event()\n"
        "lean_threads.start_daemon(lambda: (names.append(threading.current_thread().name), late.set()), 'zigttp-late')\n"
        "assert late.wait(10)\n"
        "print(names)\n"
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "['zigttp-early', 'zigttp-late']"


def test_held_threads_start_on_release_and_dropped_ones_never_run() -> None:
    import _thread

    from zigttp import lean_threads

    ran: list[str] = []
    done = Event()
    before = _thread._count()
    lean_threads.hold()
    try:
        start_daemon(lambda: ran.append("first"), "first")
        start_daemon(lambda: (ran.append("second"), done.set()), "second")
        time.sleep(0.05)
        assert ran == [] and _thread._count() == before  # queued: no thread runs yet
    finally:
        lean_threads.release(start=True)
    assert done.wait(10)
    assert sorted(ran) == ["first", "second"]
    lean_threads.hold()
    start_daemon(lambda: ran.append("dropped"), "dropped")
    lean_threads.release(start=False)
    start_daemon(lambda: ran.append("after"), "after")  # (hold is over: starts at once)
    deadline = time.monotonic() + 10
    while "after" not in ran and time.monotonic() < deadline:
        time.sleep(0.01)
    assert "after" in ran and "dropped" not in ran
