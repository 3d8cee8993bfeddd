"""atheris (libFuzzer) harness for the front end: `compile_source` on arbitrary text.

    python fuzz/fuzz_frontend.py fuzz/corpus/frontend -max_total_time=600

Invariant (as tests/fuzz/test_frontend_fuzz.py): the front end compiles the input or raises a
`ZigttpError` (normally `SourceError` with diagnostics); any other exception is a crash.
The first input byte picks the file flavour (.js/.ts/.jsx/.tsx), the rest is UTF-8 source.
"""

from __future__ import annotations

import contextlib
import sys

import atheris

with atheris.instrument_imports():
    from zigttp.errors import ZigttpError
    from zigttp.frontend.pipeline import compile_source

FLAVOURS = ("h.js", "h.ts", "h.jsx", "h.tsx")


def test_one_input(data: bytes) -> None:
    if not data:
        return
    filename = FLAVOURS[data[0] % len(FLAVOURS)]
    source = data[1:].decode("utf-8", "replace")
    with contextlib.suppress(ZigttpError):
        compile_source(source, filename)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
