"""Where an operand begins and ends, on tokens, for the dialect rewrites.

The dialect needs expression boundaries without a JS parser: `|>` binds looser than
everything but assignment and `,` (upstream's precedence table: pipe 3, ternary 4), so its
left operand reaches back, at the same bracket depth, to the nearest terminator (`,` `;`
`=` `=>` `?` `:` `return` ...) or statement boundary, and its right operand forward to the
next one. A statement boundary without `;` is where two operands meet with no operator
between (`foo()` NEWLINE `bar`): that is where JS inserts a semicolon too.
"""

from __future__ import annotations

from zigttp.frontend.dialect_lex import Token

_ASSIGN = frozenset(b"= += -= *= /= %= **= <<= >>= >>>= &= |= ^= &&= ||= ??=".split())
_TERMINATORS = _ASSIGN | {b",", b";", b"=>", b"?", b":", b"|>"}
_STOP_WORDS = frozenset(b"return throw case yield else do export default extends of in when assert".split())
# Words that end an operand (`x`, `this`) versus operators spelled as words (`typeof x`).
_OPERATOR_WORDS = frozenset(
    b"typeof void delete await new in instanceof of return throw case yield else do export "
    b"default extends const let var if while for switch function class async".split()
)
_OPERAND_PUNCT_ENDS = frozenset({b")", b"]", b"}", b"++", b"--"})
_OPERAND_PUNCT_STARTS = frozenset({b"!", b"~", b"...", b"{", b"["})


def ends_operand(token: Token) -> bool:
    if token.kind == "ident":
        return token.text not in _OPERATOR_WORDS
    if token.kind == "punct":
        return token.text in _OPERAND_PUNCT_ENDS
    return True


def starts_operand(token: Token) -> bool:
    if token.kind in ("ident", "num", "str", "regex", "jsx"):
        return True
    if token.kind == "template":
        return token.newline_before  # otherwise a tagged template continues the call
    return token.text in _OPERAND_PUNCT_STARTS and token.text not in (b"{", b"[")


def boundary(before: Token, after: Token) -> bool:
    """Two adjacent tokens that cannot belong to one expression."""
    return ends_operand(before) and starts_operand(after)


def expression_start(tokens: list[Token], op: int) -> int:
    """Index of the first token of the operand left of `tokens[op]` (== op if there is none)."""
    depth = tokens[op].depth
    start = op
    while start > 0:
        prev = tokens[start - 1]
        if prev.depth < depth:
            break
        if prev.depth == depth:
            if prev.kind == "punct" and prev.text in _TERMINATORS:
                break
            if prev.kind == "ident" and prev.text in _STOP_WORDS:
                break
            if start < op and boundary(prev, tokens[start]):
                break
        start -= 1
    return start


def expression_end(tokens: list[Token], op: int) -> int:
    """Index just past the operand right of `tokens[op]` (== op + 1 if there is none)."""
    depth = tokens[op].depth
    end = op + 1
    ternaries = 0
    while end < len(tokens):
        token = tokens[end]
        if token.depth < depth:
            break
        if token.depth == depth:
            if token.text == b"?" and token.kind == "punct":
                ternaries += 1
            elif token.text == b":" and ternaries:
                ternaries -= 1
            elif _ends_right_operand(tokens, op, end):
                break
        end += 1
    return end


def _ends_right_operand(tokens: list[Token], op: int, end: int) -> bool:
    token = tokens[end]
    if token.kind == "punct" and token.text in _TERMINATORS and token.text != b"=>":
        return True
    return end > op + 1 and boundary(tokens[end - 1], token)


def is_statement_start(tokens: list[Token], i: int) -> bool:
    """Does `tokens[i]` begin a statement (after `;` `{` `}` `)`-of-a-header or a line break)?"""
    if i == 0:
        return True
    prev = tokens[i - 1]
    if prev.kind == "punct" and prev.text in (b";", b"{", b"}", b":"):
        return True
    if prev.kind == "ident" and prev.text in (b"else", b"do"):
        return True
    return tokens[i].newline_before and ends_operand(prev)
