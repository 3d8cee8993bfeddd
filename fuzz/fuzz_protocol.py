"""atheris (libFuzzer) harness for the HTTP request reader: long, coverage-guided runs.

    python fuzz/fuzz_protocol.py fuzz/corpus/protocol -max_total_time=600

Invariants (the same as tests/fuzz/test_protocol_fuzz.py, which runs briefly in CI):
only `ProtocolError` escapes `RequestReader.feed`, and feeding the input in pieces gives the
result of feeding it whole. Any other exception or a mismatch is a crash libFuzzer saves.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from zigttp.server.protocol import parse_chunks


def parse(chunks: list[bytes]) -> tuple[list[tuple[object, ...]], int | None]:
    found, status = parse_chunks(chunks, 4096, 2048)
    return [(r.method, r.url, r.headers, r.body, r.keep_alive) for r in found], status


def test_one_input(data: bytes) -> None:
    if not data:
        return
    step = data[0] % 16 + 1  # the first byte picks the piece size
    raw = data[1:]
    whole = parse([raw])
    pieces = parse([raw[i : i + step] for i in range(0, len(raw), step)])
    if whole != pieces:
        raise AssertionError(f"split parse differs: {whole!r} != {pieces!r}")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
