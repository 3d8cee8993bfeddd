"""atheris (libFuzzer) harness for the C lane's parser against protocol.py: long runs.

    python fuzz/fuzz_lane_parse.py fuzz/corpus/protocol -max_total_time=600

The invariant of tests/fuzz/test_lane_parse_fuzz.py (which runs briefly in CI, and under
ASan/UBSan in `make sanitize`): whatever the lane calls "plain", the Python reader parses to
the same single request. Coverage comes from the Python side (the C parser is not
instrumented); build the extension with ZIGTTP_ENGINE_CFLAGS="-fsanitize=fuzzer-no-link" for
C coverage.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the oracle lives in tests/
with atheris.instrument_imports():
    from tests.fuzz.test_lane_parse_fuzz import check


def test_one_input(data: bytes) -> None:
    check(data)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
