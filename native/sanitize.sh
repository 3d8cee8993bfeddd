#!/usr/bin/env bash
# The engine extension built with AddressSanitizer + UndefinedBehaviorSanitizer (-O1 -g, the
# engine's own asserts on), and its tests run against that build (docs/fuzzing.md).
#
#   native/sanitize.sh                 tests/engine and the engine fuzz, under the sanitizers
#   native/sanitize.sh PYTEST_ARGS...  other tests (in-process ones: tests/runtime, ...)
#
# The build goes to build/sanitize/<hash of the C sources, flags, compiler, Python>/, never
# over the release .so, and is reused while that hash holds. The release package stays
# installed; tests/engine/sanitized.py (a pytest plugin) swaps in the sanitized extension.
# Python itself is not instrumented: libasan is preloaded, PYTHONMALLOC=malloc lets ASan see
# Python object buffers, and LeakSanitizer is on (the run leaks nothing today, so a Python
# object or engine block our C forgets to release fails it; the engine's own assert that no
# JS object outlives its runtime is on too). UBSan halts at the first report.
# Exit status 77: this machine cannot build it (no C compiler or no libasan); callers skip.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
CC=${CC:-gcc}
CHECKS="address,undefined,float-cast-overflow"
CFLAGS="-O1 -g -UNDEBUG -fno-omit-frame-pointer -fsanitize=$CHECKS -fno-sanitize-recover=undefined,float-cast-overflow"

if ! command -v "$CC" >/dev/null 2>&1; then
  echo "skip: no C compiler ($CC); Debian: apt-get install build-essential"; exit 77
fi
ASAN_LIB=$("$CC" -print-file-name=libasan.so)
if [[ ! -e $ASAN_LIB ]]; then
  echo "skip: $CC has no libasan; Debian: apt-get install libasan8"; exit 77
fi

KEY=$({ echo "$CFLAGS"; "$CC" --version | head -n1; "$PYTHON" -c 'import sys; print(sys.version)'
        cat setup.py native/engine/*.[ch] vendor/quickjs-ng/*.[ch] vendor/llhttp/*.[ch]; } | sha256sum | cut -c1-16)
OUT=build/sanitize/$KEY
if ! compgen -G "$OUT/lib/zigttp/runtime/_engine*.so" >/dev/null; then
  echo "building the sanitizer extension into $OUT (about a minute)"
  mkdir -p build/sanitize
  WORK=$(mktemp -d build/sanitize/.building.XXXXXX)  # a run in parallel never sees half a build
  trap 'rm -rf "$WORK"' EXIT
  ZIGTTP_ENGINE_CFLAGS=$CFLAGS ZIGTTP_ENGINE_LDFLAGS="-fsanitize=$CHECKS" \
    "$PYTHON" setup.py --quiet build_ext --build-lib "$WORK/lib" --build-temp "$WORK/tmp"
  rm -rf "$WORK/tmp"
  for old in build/sanitize/*; do [[ $old == "$OUT" ]] || rm -rf "$old"; done  # older sources
  mv -T "$WORK" "$OUT" 2>/dev/null || true  # else a parallel run got there first: same build
fi
SO=$(compgen -G "$OUT/lib/zigttp/runtime/_engine*.so" | head -n1)

export ZIGTTP_ENGINE_SO=$PWD/$SO
export LD_PRELOAD=$ASAN_LIB
export PYTHONMALLOC=malloc
export ASAN_OPTIONS=detect_leaks=1:detect_stack_use_after_return=0:abort_on_error=1:print_summary=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
if (($#)); then
  exec "$PYTHON" -m pytest -p tests.engine.sanitized -q -p no:cacheprovider "$@"
fi
"$PYTHON" -m pytest -p tests.engine.sanitized -q -p no:cacheprovider \
  tests/engine tests/fuzz/test_engine_fuzz.py tests/fuzz/test_lane_parse_fuzz.py tests/fuzz/test_response_head_fuzz.py
# The C lane under a real in-process server: its sockets, threads and third-party modules leave
# interpreter objects at exit that LeakSanitizer cannot tell from ours (CPython has no frame
# pointers, so their stacks end in its allocator), so those are suppressed for this part
# (native/lsan.supp); memory errors, and C-heap blocks our code leaks, still fail it.
LSAN_OPTIONS=suppressions=$PWD/native/lsan.supp:print_suppressions=0 \
  exec "$PYTHON" -m pytest -p tests.engine.sanitized -q -p no:cacheprovider tests/server/test_lane.py
