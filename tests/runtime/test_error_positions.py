"""Error positions in logs point at the user's file:line:col (issue 19.15).

Before: frames on line 1 were 13 columns right (the injected `"use strict";`), frames after a
one-line function's `{` were shifted by the call-depth guard, and a Workers-style handler's
stack ended in `at fetchWrapper (api.js:519:53)`, a prelude frame on a line the file lacks.
"""

from __future__ import annotations

import re

import pytest

from zigttp.frontend.pipeline import compile_source

CASES = {
    "line one": (
        "function handler(req) { return Response.text(req.url.foo.bar); }\n",
        ["at handler ({file}:1:46)"],
    ),
    "one-line function": (
        "function f(x) { return x.a.b; }\nfunction handler(req) {\n  return Response.text(f({}));\n}\n",
        ["at f ({file}:1:24)", "at handler ({file}:3:24)"],
    ),
    "loop on one line": (
        "function handler(req) { for (let i = 0; i < 2; i++) { req.no.x; } }\n",
        ["at handler ({file}:1:55)"],
    ),
    "non-ASCII earlier on the line": (  # the engine counts UTF-8 bytes; we report characters
        'const s = "ééé"; function handler(req) { return Response.text(req.url.foo.bar); }\n',
        ["at handler ({file}:1:63)"],
    ),
    "workers style": (
        "export default {\n  fetch(req) {\n    return Response.text(req.nope.x);\n  }\n};\n",
        ["at fetch ({file}:3:26)"],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_logged_stack_frames_point_at_the_users_code(serve, tmp_path, name: str) -> None:
    source, frames = CASES[name]
    path = tmp_path / "api.js"
    path.write_text(source)
    server = serve(path, "-n", "1")
    assert server.get("/").status_code == 500
    log = server.wait_for_log("-> 500")
    stack = [line.strip() for line in log.splitlines() if line.startswith("    at ")]
    assert stack == [frame.format(file=path) for frame in frames], log


ARROWS_AND_LOOPS = "const g = (a) => a + 1; function h(b) { while (b) { b--; } return b; } const k = 1;"


def test_every_identifier_maps_back_to_its_own_column() -> None:
    """Keeps `result.STRICT_PREFIX` in step with what build.py inserts."""
    compiled = compile_source(ARROWS_AND_LOOPS + "\nfunction handler() {}\n", "h.js")
    output = compiled.code.split("\n")[0]
    for name in ("g", "a", "h", "b", "k"):
        want = [m.start() + 1 for m in re.finditer(rf"\b{name}\b", ARROWS_AND_LOOPS)]
        got = [compiled.frame(1, m.start() + 1)[2] for m in re.finditer(rf"\b{name}\b", output)]
        assert got[: len(want)] == want, name
