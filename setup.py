"""Builds zigttp's engine extension (native/engine) over the vendored quickjs-ng.

Everything else is declared in pyproject.toml. Release flags: -O3 and NDEBUG (the engine's
asserts off), -fwrapv as upstream builds it, and -fvisibility=hidden with
-fno-semantic-interposition: only PyInit__engine is exported, so quickjs.c's own calls to its
public functions (JS_FreeValue, JS_NewObject... on every JS operation) are direct or inlined
instead of going through the PLT (the JSX page of the HTTP bench: 12-15 % less CPU). ZIGTTP_ENGINE_CFLAGS adds flags (the
sanitizer build, native/sanitize.sh, uses it).
"""

import os
import shlex
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

VENDOR = "vendor/quickjs-ng"
LLHTTP = "vendor/llhttp"  # the HTTP/1.1 parser of the plain-request lane (httptools' own llhttp)
SOURCES = sorted(str(p) for p in Path("native/engine").glob("*.c")) + [
    f"{VENDOR}/{name}.c" for name in ("quickjs", "libregexp", "libunicode", "dtoa")
] + [f"{LLHTTP}/{name}.c" for name in ("llhttp", "api", "http")]


class ParallelBuildExt(build_ext):
    """quickjs.c alone takes most of a minute: compile the sources on every core."""

    def finalize_options(self) -> None:
        super().finalize_options()
        if not self.parallel:
            self.parallel = os.cpu_count() or 1


engine = Extension(
    "zigttp.runtime._engine",
    sources=SOURCES,
    include_dirs=[VENDOR, LLHTTP, "native/engine"],
    define_macros=[("_GNU_SOURCE", None), ("NDEBUG", None)],
    extra_compile_args=["-O3", "-fwrapv", "-fvisibility=hidden", "-fno-semantic-interposition",
                        "-std=gnu11", "-Wno-sign-compare", "-Wno-unused-parameter",
                        *shlex.split(os.environ.get("ZIGTTP_ENGINE_CFLAGS", ""))],
    extra_link_args=shlex.split(os.environ.get("ZIGTTP_ENGINE_LDFLAGS", "")),
    depends=[str(p) for p in Path(VENDOR).glob("*.h")] + [f"{LLHTTP}/llhttp.h"] + [str(p) for p in Path("native/engine").glob("*.h")],
)

setup(ext_modules=[engine], cmdclass={"build_ext": ParallelBuildExt})
