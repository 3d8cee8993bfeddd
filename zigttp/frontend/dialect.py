"""The original zigttp's dialect → plain JS, before the parse, lines kept.

The original (github srdjan/zigttp, `packages/zts` parser) adds three constructs that
tree-sitter's TypeScript grammar refuses:

* `x |> f |> g` is `g(f(x))`; a chain holding `guard(...)` calls from `zigttp:compose` is a
  guard composition (see `runtime/js/dialect.js`). Here it becomes `__zigttp_pipe(x, f, g)`.
* `match (v) { when PATTERN: expr  default: expr }` (object, array, literal and `_`
  patterns) becomes `__zigttp_match((v), [[PATTERN, () => (expr)], [__zigttp_any, ...]])`.
* `assert cond, response;` becomes `if (!(cond)) return (response);` (without a response
  the assertion throws).

The rewrite is a list of byte splices on the original text (`dialect_edits.Edits`): each
keyword is replaced in place, operators become commas, and closing text is inserted after
the last token, so every token keeps its line; columns shift only after an insertion on the
same line, and `Edits.source_offset` maps them back, so diagnostics name the user's column.
The pass runs only for files tree-sitter cannot parse as they are (`needs_dialect`).
"""

from __future__ import annotations

import json
import re

from zigttp.diagnostics import Diagnostic, Severity
from zigttp.frontend.dialect_edits import Edits
from zigttp.frontend.dialect_lex import LexError, Token, tokenize
from zigttp.frontend.dialect_match import rewrite_matches
from zigttp.frontend.dialect_scan import expression_end, expression_start, is_statement_start
from zigttp.frontend.source import SourceFile

_CANDIDATES = re.compile(rb"\|>|\bmatch\s*\(|\bassert\b")


def needs_dialect(source: SourceFile) -> bool:
    """Cheap test before any tokenizing: could this file use the dialect at all?"""
    return _CANDIDATES.search(source.data) is not None


def desugar(source: SourceFile) -> tuple[SourceFile, list[Diagnostic]]:
    """`source` with the dialect rewritten (or unchanged if it has none), plus misuse found."""
    try:
        tokens = tokenize(source.data, jsx=source.jsx)
    except LexError as exc:  # tree-sitter's own syntax errors follow this warning
        return source, [
            _at(
                source,
                exc.offset,
                "ZT020",
                f"cannot read the dialect here: {exc}",
                "close it, or the dialect in this file cannot be rewritten",
                "warning",
            )
        ]
    edits = Edits(source.data)
    diagnostics: list[Diagnostic] = []
    # Innermost first: text inserted at one offset closes pipes before asserts and arms.
    _rewrite_pipes(source, tokens, edits, diagnostics)
    _rewrite_asserts(source, tokens, edits, diagnostics)
    rewrite_matches(source, tokens, edits, diagnostics)
    if edits.empty:
        return source, diagnostics
    try:
        text = edits.apply().decode("utf-8", "surrogatepass")
    except ValueError as exc:  # constructs interleaved in a way no rewrite can express
        return source, [
            *diagnostics,
            _at(
                source,
                0,
                "ZT020",
                f"cannot rewrite the dialect: {exc}",
                "split the expression into simpler statements",
                "warning",
            ),
        ]
    return SourceFile(source.path, text, original=source, offsets=edits), diagnostics


def _at(
    source: SourceFile, offset: int, code: str, message: str, hint: str, severity: Severity = "error"
) -> Diagnostic:
    line, col = source.position_at(offset)
    return source.diagnostic_at(line, col, code, message, hint, severity)


def _rewrite_pipes(source: SourceFile, tokens: list[Token], edits: Edits, out: list[Diagnostic]) -> None:
    """Each chain `a |> f |> g` (one depth, no terminator between) → `__zigttp_pipe(a, f, g)`."""
    done: set[int] = set()
    guards = _guard_names(tokens)
    for i, token in enumerate(tokens):
        if token.text != b"|>" or i in done:
            continue
        start = expression_start(tokens, i)
        operators = [i]
        end = expression_end(tokens, i)
        while end < len(tokens) and tokens[end].text == b"|>" and tokens[end].depth == token.depth:
            operators.append(end)
            end = expression_end(tokens, end)
        done.update(operators)
        if start == i or any(end_ == op + 1 for op, end_ in _operands(tokens, operators, end)):
            missing = token if start == i else tokens[operators[-1]]
            out.append(
                _at(
                    source,
                    missing.start,
                    "ZT025",
                    "`|>` needs a value on its left and a function on its right",
                    "write `value |> fn`",
                )
            )
            continue
        _check_guard_chain(source, tokens, start, operators, end, guards, out)
        edits.insert(tokens[start].start, b"__zigttp_pipe(")
        for op in operators:
            edits.replace(tokens[op].start, tokens[op].end, b",")
        edits.insert(tokens[end - 1].end, b")")


def _guard_names(tokens: list[Token]) -> frozenset[bytes]:
    """Local names of `guard` imported from zigttp:compose / zttp:compose."""
    names: set[bytes] = set()
    for i, token in enumerate(tokens):
        if token.text != b"import" or i + 1 >= len(tokens) or tokens[i + 1].text != b"{":
            continue
        close = next((j for j in range(i + 2, len(tokens)) if tokens[j].text == b"}"), None)
        if close is None or close + 2 >= len(tokens) or tokens[close + 1].text != b"from":
            continue
        if tokens[close + 2].text[1:-1] not in (b"zigttp:compose", b"zttp:compose"):
            continue
        for j in range(i + 2, close):
            if tokens[j].text == b"guard":
                aliased = j + 2 < close and tokens[j + 1].text == b"as"
                names.add(tokens[j + 2].text if aliased else b"guard")
    return frozenset(names)


def _check_guard_chain(
    source: SourceFile,
    tokens: list[Token],
    start: int,
    operators: list[int],
    end: int,
    guards: frozenset[bytes],
    out: list[Diagnostic],
) -> None:
    """Upstream's compile-time rule: a chain holding `guard(...)` calls has one handler."""
    if not guards:
        return
    bounds = [start, *(op + 1 for op in operators)]
    stops = [*operators, end]
    steps = list(zip(bounds, stops, strict=True))
    is_guard = [_is_guard_call(tokens, a, b, guards) for a, b in steps]
    handlers = [a for (a, _), guard in zip(steps, is_guard, strict=True) if not guard]
    if any(is_guard) and len(handlers) != 1:
        where = tokens[handlers[1]] if len(handlers) > 1 else tokens[start]
        message = (
            "a guard composition has exactly one handler; this is another"
            if handlers
            else "a guard composition needs a handler between its guards"
        )
        out.append(_at(source, where.start, "ZT026", message, "write `guard(pre) |> handler |> guard(post)`"))


def _is_guard_call(tokens: list[Token], a: int, b: int, guards: frozenset[bytes]) -> bool:
    """tokens[a:b] is exactly `NAME(...)` with NAME a local name of compose's guard."""
    if b - a < 3 or tokens[a].text not in guards or tokens[a + 1].text != b"(":
        return False
    return (
        tokens[b - 1].text == b")"
        and tokens[b - 1].depth == tokens[a + 1].depth
        and all(t.depth > tokens[a + 1].depth for t in tokens[a + 2 : b - 1])
    )


def _operands(tokens: list[Token], operators: list[int], end: int) -> list[tuple[int, int]]:
    """(operator index, index where its right operand ends) for each `|>` of a chain."""
    bounds = [*operators[1:], end]
    return list(zip(operators, bounds, strict=True))


def _rewrite_asserts(source: SourceFile, tokens: list[Token], edits: Edits, out: list[Diagnostic]) -> None:
    """`assert cond, response;` → `if (!(cond)) return (response);`, at statement starts."""
    for i, token in enumerate(tokens):
        if token.text != b"assert" or token.kind != "ident" or not is_statement_start(tokens, i):
            continue
        if _ordinary_identifier(tokens, i):
            continue
        end = expression_end(tokens, i)
        if end == i + 1:
            out.append(
                _at(
                    source,
                    token.start,
                    "ZT024",
                    "`assert` needs a condition",
                    "write `assert condition, response;`",
                )
            )
            continue
        edits.replace(token.start, token.end, b"if (!(")
        if end < len(tokens) and tokens[end].text == b"," and tokens[end].depth == token.depth:
            response_end = expression_end(tokens, end)
            if response_end == end + 1:
                out.append(
                    _at(
                        source,
                        tokens[end].start,
                        "ZT024",
                        "`assert` has no response after the comma",
                        "write `assert condition, response;`",
                    )
                )
                continue
            edits.replace(tokens[end].start, tokens[end].end, b")) return (")
            edits.insert(tokens[response_end - 1].end, b")")
        else:
            condition = source.data[tokens[i + 1].start : tokens[end - 1].end]
            message = json.dumps(f"assertion failed: {condition.decode(errors='replace')}")
            edits.insert(tokens[end - 1].end, f")) __zigttp_assert_failed({message})".encode())


def _ordinary_identifier(tokens: list[Token], i: int) -> bool:
    """`assert(x);`, `assert = f`, `assert.ok(x)`: a variable called assert, not the statement."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is None or nxt.newline_before or nxt.text in _NOT_A_CONDITION:
        return True
    if nxt.text != b"(":
        return False
    close = next((j for j in range(i + 2, len(tokens)) if tokens[j].depth == nxt.depth), None)
    if close is None or close + 1 >= len(tokens):
        return True
    after = tokens[close + 1]
    return after.text in (b";", b"}") or after.newline_before


_NOT_A_CONDITION = frozenset({b".", b"?.", b";", b",", b")", b"}", b"]", b":", b"=>"}) | {
    op for op in b"= += -= *= /= ||= &&= ??=".split()
}
