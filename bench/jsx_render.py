"""JSX page render: ms per `/page` of bench/handlers/bench.tsx (200 rows, ~21 KB) on one runtime.

Compares the compiled templates (HTML elements joined to strings at compile time) with the
`h()` + `renderToString` lowering every element had before, in the same process and run:

    .venv/bin/python bench/jsx_render.py [--calls 300]

Each figure is the whole JS side of one request (dispatch → Response.html → wire string),
CPU time, the best of five interleaved rounds.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from zigttp.frontend import jsx_template
from zigttp.frontend.pipeline import compile_file
from zigttp.runtime.handler import load_handler
from zigttp.runtime.limits import RuntimeLimits
from zigttp.runtime.marshal import decode_response

PAGE = Path(__file__).parent / "handlers" / "bench.tsx"
HEADERS = '{"host":"x"}'


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
    return bytes(decode_response(rt.dispatch("GET", "/page", HEADERS, None)).body)  # type: ignore[attr-defined]


def per_call_ms(rt: object, calls: int) -> float:
    """CPU time of this thread per dispatch: other processes on a shared machine do not count."""
    started = time.thread_time()
    for _ in range(calls):
        rt.dispatch("GET", "/page", HEADERS, None)  # type: ignore[attr-defined]
    return (time.thread_time() - started) / calls * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
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
