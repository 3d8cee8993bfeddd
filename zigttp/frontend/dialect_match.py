"""`match (v) { when PATTERN: expr ... default: expr }` → a `__zigttp_match` call.

Upstream semantics (packages/zts parser.zig `parseMatchExpression`, codegen `emitMatchExpr`):
arms are `when PATTERN: expr` or `default: expr`, optionally separated by commas; a pattern
is a literal (string, number, boolean, undefined; compared with ===), an object pattern
`{key: PATTERN, ...}` (every listed key matches; other keys are ignored), an array pattern
`[PATTERN, ...]` (same length, every element matches) or `_`. Inside a pattern `_` means
"present" (not undefined); a top-level `when _` is a fallback like `default`. The fallback
runs only when no other arm matches, wherever it is written; with no arm matching and no
fallback the value is undefined.

Output, with each keyword replaced in place and the arm bodies made lazy:

    __zigttp_match((v), [[PATTERN, () => (expr)], [__zigttp_any, () => (expr)]])

An arm body that awaits becomes an `async` thunk and the whole match is awaited.
"""

from __future__ import annotations

from zigttp.diagnostics import Diagnostic
from zigttp.frontend.dialect_edits import Edits
from zigttp.frontend.dialect_lex import Token
from zigttp.frontend.dialect_scan import ends_operand
from zigttp.frontend.source import SourceFile

_LITERAL_WORDS = frozenset({b"true", b"false", b"undefined", b"null"})
PATTERN_HINT = "a pattern is a literal, `{key: pattern}`, `[pattern, ...]` or `_`"


class MatchError(Exception):
    def __init__(self, token: Token, message: str, hint: str = PATTERN_HINT) -> None:
        super().__init__(message)
        self.token, self.hint = token, hint


def rewrite_matches(source: SourceFile, tokens: list[Token], edits: Edits, out: list[Diagnostic]) -> None:
    for i in range(len(tokens)):
        if not _is_match(tokens, i):
            continue
        try:
            _rewrite(tokens, i, edits, source, out)
        except MatchError as exc:
            line, col = source.position_at(exc.token.start)
            out.append(source.diagnostic_at(line, col, "ZT021", str(exc), exc.hint))


def _is_match(tokens: list[Token], i: int) -> bool:
    """`match (...) {` where `match` is not a property name or a declared function."""
    token = tokens[i]
    if token.kind != "ident" or token.text != b"match" or i + 1 >= len(tokens):
        return False
    if tokens[i + 1].text != b"(":
        return False
    if i > 0 and tokens[i - 1].text in (b".", b"?.", b"function"):
        return False
    close = _closer(tokens, i + 1)
    return close + 1 < len(tokens) and tokens[close + 1].text == b"{"


def _closer(tokens: list[Token], open_index: int) -> int:
    depth = tokens[open_index].depth
    for j in range(open_index + 1, len(tokens)):
        if tokens[j].depth == depth:
            return j
    return len(tokens) - 1


def _rewrite(tokens: list[Token], i: int, edits: Edits, source: SourceFile, out: list[Diagnostic]) -> None:
    brace = _closer(tokens, i + 1) + 1
    end = _closer(tokens, brace)
    if tokens[end].text != b"}" or end == brace:
        raise MatchError(tokens[brace], "`match` body is not closed", "close it with `}`")
    arms = _arms(tokens, brace + 1, end)
    if not arms:
        raise MatchError(
            tokens[i], "`match` needs at least one arm", "add `when PATTERN: expr` or `default: expr`"
        )
    awaits = any(t.kind == "ident" and t.text == b"await" for t in tokens[brace:end])
    thunk = b"async () => (" if awaits else b"() => ("
    edits.replace(
        tokens[i].start, tokens[i + 1].start, b"(await __zigttp_match(" if awaits else b"__zigttp_match("
    )
    edits.replace(tokens[brace].start, tokens[brace].end, b", [")
    fallback_seen: Token | None = None
    for keyword, colon, body_end, separator in arms:
        if fallback_seen is not None:
            line, col = source.position_at(tokens[keyword].start)
            out.append(
                source.diagnostic_at(
                    line,
                    col,
                    "ZT023",
                    "this arm follows a fallback arm (`default` / `when _`)",
                    "the fallback applies only when no other arm matches; write it last",
                    "warning",
                )
            )
            fallback_seen = None
        word = tokens[keyword]
        if word.text == b"default" or _is_wildcard(tokens, keyword + 1, colon):
            fallback_seen = word
            edits.replace(
                word.start, tokens[colon - 1].end if word.text == b"when" else word.end, b"[__zigttp_any"
            )
        else:
            edits.replace(word.start, word.end, b"[")
            _check_pattern(tokens, keyword + 1, colon, edits)
        edits.replace(tokens[colon].start, tokens[colon].end, b", " + thunk)
        edits.insert(tokens[body_end - 1].end, b")],")
        if separator is not None:
            edits.replace(tokens[separator].start, tokens[separator].end, b"")
    edits.replace(tokens[end].start, tokens[end].end, b"]))" if awaits else b"])")


def _arms(tokens: list[Token], first: int, end: int) -> list[tuple[int, int, int, int | None]]:
    """(keyword, colon, body end, separating comma or None) for each arm in (first, end)."""
    depth = tokens[first - 1].depth + 1
    arms = []
    j = first
    while j < end:
        word = tokens[j]
        if word.kind != "ident" or word.text not in (b"when", b"default"):
            raise MatchError(
                word,
                "expected `when PATTERN:` or `default:` in `match`",
                "each arm is `when PATTERN: expr` or `default: expr`",
            )
        colon = j + 1
        while colon < end and not (tokens[colon].depth == depth and tokens[colon].text == b":"):
            colon += 1
        if colon >= end:
            raise MatchError(word, "this arm has no `:` before its value", "write `when PATTERN: expr`")
        if word.text == b"default" and colon != j + 1:
            raise MatchError(tokens[j + 1], "`default` takes no pattern", "write `default: expr`")
        if word.text == b"when" and colon == j + 1:
            raise MatchError(tokens[colon], "`when` needs a pattern", PATTERN_HINT)
        body_end = _arm_end(tokens, colon + 1, end, depth)
        if body_end == colon + 1:
            raise MatchError(
                tokens[colon], "this arm has no value after `:`", "write an expression after the colon"
            )
        separator = body_end if tokens[body_end].text == b"," else None
        arms.append((j, colon, body_end, separator))
        j = body_end + (1 if separator is not None else 0)
    return arms


def _arm_end(tokens: list[Token], start: int, end: int, depth: int) -> int:
    """An arm's value ends at the match's `}`, a `,` or the next `when`/`default` keyword."""
    j = start
    while j < end:
        token = tokens[j]
        if token.depth == depth and j > start:
            if token.text == b",":
                return j
            if (
                token.kind == "ident"
                and token.text in (b"when", b"default")
                and (ends_operand(tokens[j - 1]) or tokens[j - 1].text == b",")
            ):
                return j
        j += 1
    return end


def _is_wildcard(tokens: list[Token], start: int, stop: int) -> bool:
    return stop == start + 1 and tokens[start].text == b"_"


def _check_pattern(tokens: list[Token], start: int, stop: int, edits: Edits) -> None:
    """Validate PATTERN in tokens[start:stop]; nested `_` becomes `__zigttp_any`."""
    if _pattern(tokens, start, stop, edits) != stop:
        raise MatchError(tokens[min(stop - 1, len(tokens) - 1)], "unexpected token in pattern")


def _pattern(tokens: list[Token], j: int, stop: int, edits: Edits) -> int:
    """Parse one pattern at tokens[j]; return the index after it."""
    if j >= stop:
        raise MatchError(tokens[stop], "a pattern is missing here")
    token = tokens[j]
    if token.kind == "ident" and token.text == b"_":
        edits.replace(token.start, token.end, b"__zigttp_any")
        return j + 1
    if token.kind in ("str", "num") or (token.kind == "ident" and token.text in _LITERAL_WORDS):
        return j + 1
    if token.kind == "template" and b"${" not in token.text:
        return j + 1
    if token.text == b"-" and j + 1 < stop and tokens[j + 1].kind == "num":
        return j + 2
    if token.text == b"{":
        return _sequence(tokens, j, stop, edits, b"}", keyed=True)
    if token.text == b"[":
        return _sequence(tokens, j, stop, edits, b"]", keyed=False)
    raise MatchError(token, f"`{token.text.decode(errors='replace')}` is not a pattern")


def _sequence(tokens: list[Token], j: int, stop: int, edits: Edits, closer: bytes, keyed: bool) -> int:
    j += 1
    while j < stop and tokens[j].text != closer:
        if keyed:
            key = tokens[j]
            if key.kind not in ("ident", "str", "num"):
                raise MatchError(key, "expected a property name in an object pattern")
            if j + 1 >= stop or tokens[j + 1].text != b":":
                raise MatchError(
                    key,
                    "object patterns need `key: pattern`",
                    'write `{ key: "value" }` or `{ key: _ }` for any value',
                )
            j += 2
        j = _pattern(tokens, j, stop, edits)
        if j < stop and tokens[j].text == b",":
            j += 1
        elif j < stop and tokens[j].text != closer:
            raise MatchError(tokens[j], "expected `,` between pattern entries")
    if j >= stop:
        raise MatchError(tokens[stop - 1], f"pattern is not closed with `{closer.decode()}`")
    return j + 1
