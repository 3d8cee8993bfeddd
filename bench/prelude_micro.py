"""Microbenchmark of the per-request JS glue (prelude.js): µs per `dispatch` on one runtime.

The prelude is on the hot path of every request, so hardening it must not cost much:
run this before and after a change to prelude.js and compare.

    .venv/bin/python bench/prelude_micro.py [--calls 20000]
"""

from __future__ import annotations

import argparse
import time

from zigttp.frontend.pipeline import compile_source
from zigttp.runtime.handler import load_handler
from zigttp.runtime.limits import RuntimeLimits
from zigttp.runtime.marshal import decode_response

HANDLERS = {
    "json": "function handler(req) { return Response.json({ok: true}); }",
    "headers+query": ("function handler(req) { return Response.json({a: req.headers.get('accept'), "
                      "q: req.query.x}, {status: 201, headers: {'x-one': '1', 'set-cookie': 'a=b'}}); }"),
    "text": "function handler(req) { return 'hello'; }",
    "async": "async function handler(req) { await null; return Response.text('hi'); }",
}
HEADERS = '{"host":"x","accept":"*/*","user-agent":"bench"}'


def measure(source: str, calls: int) -> float:
    handler = load_handler(compile_source(source, "bench.js"), RuntimeLimits(), console=lambda *a: None)
    runtime = handler.new_runtime()
    for _ in range(500):
        decode_response(runtime.dispatch("GET", "/p?x=1", HEADERS, None))
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(calls):
            decode_response(runtime.dispatch("GET", "/p?x=1", HEADERS, None))
        best = min(best, (time.perf_counter() - started) / calls * 1e6)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=20000)
    args = parser.parse_args()
    for name, source in HANDLERS.items():
        print(f"{name:15} {measure(source, args.calls):7.2f} µs/request (best of 3 x {args.calls})")


if __name__ == "__main__":
    main()
