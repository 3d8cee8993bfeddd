"""JSX page render: ms per `/page` of the bench handler (zigttp/bench/assets/handlers/bench.tsx).

Compares the compiled templates (HTML elements joined to strings at compile time) with the
`h()` + `renderToString` lowering every element had before, in the same process and run:

    .venv/bin/python bench/jsx_render.py [--calls 300]

Each figure is the whole JS side of one request (dispatch → Response.html → wire string),
CPU time, the best of five interleaved rounds. `--before DIR` runs the same page, in a second
process per round, with the zigttp package of another tree (e.g. `git archive` of main with
this build's extension copied in): the before/after rows of bench/README.md "Compiled JSX".
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from zigttp.frontend import jsx_template
from zigttp.frontend.pipeline import compile_file
from zigttp.runtime.handler import load_handler
from zigttp.runtime.limits import RuntimeLimits

PAGE = Path(__file__).resolve().parent.parent / "zigttp" / "bench" / "assets" / "handlers" / "bench.tsx"
HEADERS = "host\0x"


@contextmanager
def h_calls_only() -> Iterator[None]:
    """Every element lowered to h() calls, as before templates existed."""
    applies = jsx_template.applies
    jsx_template.applies = lambda em, node: False  # type: ignore[assignment]
    try:
        yield
    finally:
        jsx_template.applies = applies  # type: ignore[assignment]


def runtime(templates: bool) -> object:
    if templates:
        compiled = compile_file(PAGE, use_cache=False)
    else:
        with h_calls_only():
            compiled = compile_file(PAGE, use_cache=False)
    return load_handler(compiled, RuntimeLimits(), console=lambda *a: None).new_runtime()


def page(rt: object) -> bytes:
    return bytes(rt.dispatch("GET", "/page", HEADERS, None).body)  # type: ignore[attr-defined]


def per_call_ms(rt: object, calls: int) -> float:
    """CPU time of this thread per dispatch: other processes on a shared machine do not count."""
    started = time.thread_time()
    for _ in range(calls):
        rt.dispatch("GET", "/page", HEADERS, None)  # type: ignore[attr-defined]
    return (time.thread_time() - started) / calls * 1e3


def other_tree(tree: str, calls: int) -> tuple[float, str]:
    """(ms per call, page digest) of the compiled page with another tree's zigttp package."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", "--calls", str(calls)],
        env={**os.environ, "PYTHONPATH": tree},
        capture_output=True,
        text=True,
        check=True,
    )
    row = json.loads(done.stdout)
    return row["ms"], row["digest"]


def before_after(tree: str, calls: int, rounds: int) -> None:
    new = runtime(True)
    digest = hashlib.sha256(page(new)).hexdigest()
    best = {"before": float("inf"), "after": float("inf")}
    for _ in range(rounds):  # interleaved, best of N: this VM's speed drifts
        ms, theirs = other_tree(tree, calls)
        assert theirs == digest, "the page differs from the other tree's"
        best["before"] = min(best["before"], ms)
        best["after"] = min(best["after"], per_call_ms(new, calls))
    print(f"page: {len(page(new)):,} bytes, identical both ways")
    print(f"before ({tree})  {best['before'] * 1e3:7.0f} µs")
    print(f"after               {best['after'] * 1e3:7.0f} µs  ({best['before'] / best['after']:.2f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--before", metavar="DIR", help="a tree whose zigttp/ to compare with")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # one round for --before, in the other tree's process
        rt = runtime(True)
        digest = hashlib.sha256(page(rt)).hexdigest()
        print(json.dumps({"ms": per_call_ms(rt, args.calls), "digest": digest}))
        return
    if args.before:
        before_after(args.before, args.calls, args.rounds)
        return
    old, new = runtime(False), runtime(True)
    assert page(new) == page(old), "the compiled page differs from the h() page"
    best = {"old": float("inf"), "new": float("inf")}
    for _ in range(args.rounds):  # interleaved, best of N: this VM's speed drifts
        best["old"] = min(best["old"], per_call_ms(old, args.calls))
        best["new"] = min(best["new"], per_call_ms(new, args.calls))
    print(f"page: {len(page(new)):,} bytes, identical both ways")
    print(f"h() + renderToString   {best['old']:7.2f} ms")
    print(f"compiled templates     {best['new']:7.2f} ms  ({best['old'] / best['new']:.1f}x)")


if __name__ == "__main__":
    main()
