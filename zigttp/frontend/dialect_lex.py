"""A small JavaScript tokenizer for the dialect pass (`dialect.py`).

tree-sitter cannot parse the original zigttp's `|>`, `match` and `assert`, so the dialect is
found and rewritten on tokens before the parse. The tokenizer only has to be right about
what is NOT code (strings, template text, comments, regular expressions) and about bracket
nesting; everything else is an identifier, a number or a punctuator. Each token records its
byte range in the UTF-8 source, so edits are byte splices like the other passes'.

Bracket depth is tracked per token (`depth`: nesting of (), [], {} and `${`), and a template
literal's `${ ... }` parts are tokenized as code. In .jsx/.tsx files a JSX element where an
operand may start is one opaque token (its text is not code: `don't` is no string), so the
dialect is not seen inside JSX `{...}` containers; write it outside the markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# Longest first, so `>>>=` is one token and not `>>` `>=`.
_PUNCT = sorted(
    [
        ">>>=",
        "...",
        "===",
        "!==",
        "**=",
        "<<=",
        ">>=",
        ">>>",
        "&&=",
        "||=",
        "??=",
        "|>",
        "=>",
        "==",
        "!=",
        "<=",
        ">=",
        "&&",
        "||",
        "??",
        "?.",
        "++",
        "--",
        "+=",
        "-=",
        "*=",
        "/=",
        "%=",
        "&=",
        "|=",
        "^=",
        "**",
        "<<",
        ">>",
        "{",
        "}",
        "(",
        ")",
        "[",
        "]",
        ";",
        ",",
        "<",
        ">",
        "+",
        "-",
        "*",
        "/",
        "%",
        "&",
        "|",
        "^",
        "!",
        "~",
        "?",
        ":",
        "=",
        ".",
        "@",
        "#",
    ],
    key=len,
    reverse=True,
)
_TOKEN = re.compile(
    rb"(?P<ws>[ \t\r\n\f\v]+|\xc2\xa0|\xef\xbb\xbf)"
    rb"|(?P<line>//[^\n]*)"
    rb"|(?P<block>/\*.*?\*/)"
    rb"|(?P<str>\"(?:[^\"\\\n]|\\.|\\\n)*\"|'(?:[^'\\\n]|\\.|\\\n)*')"
    rb"|(?P<num>\.?[0-9](?:[0-9a-zA-Z_.]|[eE][+-])*)"
    rb"|(?P<ident>(?:[A-Za-z_$]|[\x80-\xff]|\\u)(?:[A-Za-z0-9_$]|[\x80-\xff]|\\u)*)"
    rb"|(?P<punct>" + b"|".join(re.escape(p.encode()) for p in _PUNCT) + rb")",
    re.DOTALL,
)
_TEMPLATE_TEXT = re.compile(rb"(?:[^`\\$]|\\.|\$(?!\{))*", re.DOTALL)
_REGEX = re.compile(rb"/(?:[^/\\\[\n]|\\.|\[(?:[^\]\\\n]|\\.)*\])+/[A-Za-z]*")
# After these a `/` starts a regular expression rather than dividing.
_REGEX_AFTER_WORDS = frozenset(
    b"return typeof instanceof in of new delete void throw case do else yield await".split()
)
_OPEN = {b"(": b")", b"[": b"]", b"{": b"}"}


class LexError(ValueError):
    """The text cannot be tokenized (an unterminated string, comment or template)."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset


@dataclass(frozen=True)
class Token:
    kind: str  # "ident", "num", "str", "template", "regex", "jsx", "punct"
    text: bytes
    start: int
    end: int
    depth: int  # bracket depth before this token (a closing bracket has its opener's depth)
    newline_before: bool  # a line break separates it from the previous token


def tokenize(data: bytes, jsx: bool = False) -> list[Token]:
    """Every code token of `data`, comments and whitespace dropped."""
    out: list[Token] = []
    for token in _tokens(data, 0, jsx, out):
        out.append(token)
    return out


def _tokens(data: bytes, pos: int, jsx: bool, out: list[Token]) -> Iterator[Token]:
    """Tokens from `pos` on, lazily (`out` = the tokens so far, for the regex rule)."""
    stack: list[bytes] = []  # expected closers; b"`" marks a template's `${`
    newline = False
    while pos < len(data):
        if data[pos : pos + 1] == b"`" or (stack and stack[-1] == b"`" and data[pos : pos + 1] == b"}"):
            resuming = data[pos : pos + 1] == b"}"
            if resuming:
                stack.pop()
            start = pos
            pos = _template(data, pos + 1)
            if data[pos - 2 : pos] == b"${":
                stack.append(b"`")
            if not resuming:
                yield Token("template", data[start:pos], start, pos, len(stack), newline)
            newline = False
            continue
        if data[pos : pos + 1] == b"/" and _regex_allowed(out) and data[pos : pos + 2] not in (b"//", b"/*"):
            match = _REGEX.match(data, pos)
            if match is None:
                raise LexError(pos, "unterminated regular expression")
            yield Token("regex", match.group(), pos, match.end(), len(stack), newline)
            pos, newline = match.end(), False
            continue
        if jsx and data[pos : pos + 1] == b"<" and _regex_allowed(out) and _is_jsx(data, pos):
            end = _jsx_end(data, pos)
            yield Token("jsx", data[pos:end], pos, end, len(stack), newline)
            pos, newline = end, False
            continue
        match = _TOKEN.match(data, pos)
        if match is None:
            raise LexError(pos, _unreadable(data, pos))
        kind, text = match.lastgroup or "", match.group()
        pos = match.end()
        if kind in ("ws", "line", "block"):
            newline = newline or b"\n" in text
            continue
        depth = len(stack)
        if kind == "punct" and text in _OPEN:
            stack.append(_OPEN[text])
        elif kind == "punct" and text in (b")", b"]", b"}"):
            if stack and stack[-1] == text:
                stack.pop()
            depth = len(stack)
        yield Token(kind, text, match.start(), pos, depth, newline)
        newline = False


_JSX_START = re.compile(rb"<[A-Za-z>]")
_GENERIC = re.compile(rb"<[A-Za-z_$][\w$]*\s*(?:,|extends\b)")  # `<T,>(x: T) => x` in .tsx


def _is_jsx(data: bytes, pos: int) -> bool:
    return _JSX_START.match(data, pos) is not None and _GENERIC.match(data, pos) is None


def _jsx_end(data: bytes, pos: int) -> int:
    """Just past the JSX element starting at `pos` (tags balanced, `{...}` skipped)."""
    depth, i, n = 0, pos, len(data)
    while i < n:
        if data[i : i + 1] == b"{":
            i = _skip_braces(data, i)
        elif data[i : i + 2] == b"</":
            i = _find(data, b">", i) + 1
            depth -= 1
            if depth <= 0:
                return i
        elif data[i : i + 1] == b"<":
            j = i + 1
            while j < n and data[j : j + 1] != b">":
                if data[j : j + 1] == b"{":
                    j = _skip_braces(data, j)
                elif data[j : j + 1] in (b'"', b"'"):
                    j = _find(data, data[j : j + 1], j + 1) + 1
                else:
                    j += 1
            closing_self = data[j - 1 : j] == b"/"
            i = j + 1
            if not closing_self:
                depth += 1
            elif depth == 0:
                return i
        else:
            i += 1
    raise LexError(pos, "unterminated JSX element")


def _skip_braces(data: bytes, pos: int) -> int:
    """Just past the `}` matching the `{` at `pos` (code inside: strings and templates skipped)."""
    nested = 0
    seen: list[Token] = []
    for token in _tokens(data, pos, True, seen):
        seen.append(token)
        if token.text == b"{" and token.kind == "punct":
            nested += 1
        elif token.text == b"}" and token.kind == "punct":
            nested -= 1
            if nested == 0:
                return token.end
    raise LexError(pos, "unterminated `{` in JSX")


def _find(data: bytes, needle: bytes, start: int) -> int:
    found = data.find(needle, start)
    if found < 0:
        raise LexError(start, "unterminated JSX tag")
    return found


def _template(data: bytes, pos: int) -> int:
    """End of the template text starting at `pos`: just past the closing "`" or the `${`."""
    match = _TEMPLATE_TEXT.match(data, pos)
    end = match.end() if match else pos
    if data[end : end + 1] == b"`":
        return end + 1
    if data[end : end + 2] == b"${":
        return end + 2
    raise LexError(pos - 1, "unterminated template literal")


def _regex_allowed(out: list[Token]) -> bool:
    if not out:
        return True
    last = out[-1]
    if last.kind in ("num", "str", "template", "regex", "jsx"):
        return False
    if last.kind == "ident":
        return last.text in _REGEX_AFTER_WORDS
    return last.text not in (b")", b"]", b"}")


def _unreadable(data: bytes, pos: int) -> str:
    char = data[pos : pos + 1]
    if char in (b'"', b"'"):
        return "unterminated string literal"
    if data[pos : pos + 2] == b"/*":
        return "unterminated comment"
    return f"unexpected character {char.decode('latin-1')!r}"
