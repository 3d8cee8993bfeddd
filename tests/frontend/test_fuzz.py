"""Fuzz invariant: whatever the input, the front end either compiles it or raises
SourceError with diagnostics; it never crashes with another exception."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from zigttp.errors import SourceError
from zigttp.frontend.pipeline import compile_source

TOKENS = st.sampled_from(
    [
        "let",
        "const",
        "var",
        "x",
        "y",
        "=",
        ";",
        "\n",
        "(",
        ")",
        "{",
        "}",
        "[",
        "]",
        "<",
        ">",
        "/>",
        "</",
        "div",
        "Card",
        ":",
        "number",
        "as",
        "satisfies",
        "!",
        "?",
        ".",
        ",",
        "=>",
        "function",
        "return",
        "export",
        "default",
        "import",
        "from",
        '"zigttp:env"',
        '"./a"',
        "enum",
        "namespace",
        "interface",
        "type",
        "comptime",
        "hash",
        '"s"',
        "1",
        "0x1F",
        "+",
        "&amp;",
        " ",
        "class",
        "extends",
        "new",
        "Date",
        "eval",
        "with",
        "@",
        "...",
        "`t`",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(TOKENS, max_size=30), st.sampled_from(["h.ts", "h.tsx", "h.js", "h.jsx"]))
def test_front_end_never_crashes(tokens: list[str], filename: str) -> None:
    source = " ".join(tokens)
    try:
        compiled = compile_source(source, filename)
    except SourceError as error:
        assert error.diagnostics
    else:
        assert compiled.code.startswith('"use strict";')
        assert compiled.code.count("\n") >= source.count("\n")
