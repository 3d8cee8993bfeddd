"""Property test of the front-end contract (`zigttp.frontend.pipeline.compile_source`).

Valid handlers of every flavour (JS, TS, JSX, TSX, virtual-module imports, comptime) are
mutated at random; whatever comes out, the front end either compiles it or raises one of our
typed errors (`SourceError` with diagnostics, or another `ZigttpError`). A crash with any other
exception would take `zigttp serve`/`check` down with a traceback instead of a diagnostic.
Written against the function contract, so it holds for the interim pass-through and for the
tree-sitter front end alike.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zigttp.errors import ZigttpError
from zigttp.frontend.pipeline import CompiledHandler, compile_source

EXAMPLES = int(os.environ.get("ZIGTTP_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SEEDS = [
    ("h.js", "function handler(req) {\n  return Response.json({ok: true, path: req.path});\n}\n"),
    (
        "h.ts",
        "interface User { id: number; name?: string }\n"
        "export default function handler(req: Request): Response {\n"
        "  const u: User = {id: 1} as User;\n  return Response.json(u satisfies User);\n}\n",
    ),
    (
        "h.tsx",
        'import { env } from "zigttp:env";\n'
        'function Card(props: {title: string}) { return <div class="c">{props.title}</div>; }\n'
        'export default { fetch(req: Request) { return Response.html(<Card title={env("X") ?? "t"} />); } };\n',
    ),
    (
        "h.jsx",
        'const items = ["a", "b"];\nfunction handler() {\n'
        "  return Response.html(<ul>{items.map((i) => <li key={i}>{i}</li>)}</ul>);\n}\n",
    ),
    (
        "h.ts",
        'const TABLE = comptime(60 * 60 * 24);\nconst H = comptime(hash("k"));\n'
        "enum Color { Red, Green }\ntype T<A> = A | null;\n"
        "export function handler(req: Request) { return Response.json({TABLE, H, c: Color.Red}); }\n",
    ),
    (
        "h.js",
        'import { rateCheck } from "zigttp:ratelimit";\nimport { sha256 } from "zigttp:crypto";\n'
        'async function handler(req) {\n  if (!rateCheck(req.path, 5, 60)) return Response.text("slow", {status: 429});\n'
        "  return Response.text(sha256(await req.text()));\n}\n",
    ),
]
TOKENS = [
    "{",
    "}",
    "(",
    ")",
    "<",
    ">",
    "</",
    "/>",
    ";",
    "\n",
    "`",
    "${",
    '"',
    "'",
    "/*",
    "*/",
    "//",
    ":",
    "?",
    "as",
    "=>",
    "import",
    "export",
    "default",
    "from",
    '"zigttp:nope"',
    '"./missing"',
    "comptime(",
    "hash(",
    "enum",
    "type",
    "interface",
    "declare",
    "abstract",
    "@dec",
    "\\u{",
    "\u00e9",
    "\ud83d\ude00",
    "\x00",
    "\ufeff",
    "<!--",
    "#!",
    "eval(",
    "with (x)",
    "0x",
    "1e999",
]


@st.composite
def mutated_handlers(draw: st.DrawFn) -> tuple[str, str]:
    filename, source = draw(st.sampled_from(SEEDS))
    text = list(source)
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "repeat", "swap"]))
        if action == "insert":
            text[at:at] = list(draw(st.sampled_from(TOKENS) | st.text(max_size=4)))
        elif action == "delete":
            del text[at : at + draw(st.integers(1, 15))]
        elif action == "repeat":
            text[at:at] = text[at : at + draw(st.integers(1, 30))]
        elif text:
            other = draw(st.integers(0, len(text) - 1))
            if at < len(text):
                text[at], text[other] = text[other], text[at]
    return draw(st.sampled_from([filename, "h.js", "h.tsx"])), "".join(text)


def compile_or_typed_error(source: str, filename: str) -> CompiledHandler | None:
    try:
        return compile_source(source, filename)
    except ZigttpError:  # SourceError (with diagnostics) or another typed failure
        return None


@FUZZ
@given(mutated_handlers())
def test_mutated_handlers_compile_or_raise_typed_errors(case: tuple[str, str]) -> None:
    filename, source = case
    compiled = compile_or_typed_error(source, filename)
    if compiled is not None:
        assert isinstance(compiled.code, str)


@FUZZ
@given(st.text(max_size=300), st.sampled_from(["h.js", "h.ts", "h.jsx", "h.tsx"]))
def test_random_text_compiles_or_raises_typed_errors(source: str, filename: str) -> None:
    compile_or_typed_error(source, filename)


def test_seeds_without_virtual_modules_compile() -> None:
    for filename, source in [SEEDS[0], SEEDS[1], SEEDS[3]]:
        assert compile_or_typed_error(source, filename) is not None, filename
