"""ZT108: a handler cannot touch the guards' own state (it could escape --timeout otherwise)."""

from __future__ import annotations

import pytest

from zigttp.errors import SourceError
from zigttp.frontend.pipeline import compile_source


@pytest.mark.parametrize("name", ["__zb", "__zdl", "__zd", "__zdo", "__ztick", "__ztimedout", "__znow"])
def test_guard_state_names_are_refused_with_their_position(name: str) -> None:
    with pytest.raises(SourceError) as caught:
        compile_source(f"function handler(r) {{\n  {name} = 0;\n  return Response.text('x');\n}}\n")
    diagnostic = caught.value.diagnostics[0]
    assert (diagnostic.code, diagnostic.line, diagnostic.col) == ("ZT108", 2, 3)


def test_the_module_import_hook_stays_callable() -> None:
    compiled = compile_source("const m = __zigttp_import('crypto');\nfunction handler() { return 'x' }\n")
    assert "__zigttp_import('crypto')" in compiled.code
