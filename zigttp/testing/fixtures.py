"""Parse `*.test.jsonl` fixtures into `FixtureTest` objects (spec §8, upstream-reference §2).

One JSON object per line; blank lines are ignored. Row types: `test` starts a test, `request`
sets its request (the last one wins), `io` appends a stubbed module call, `expect` sets its
assertions (the last one replaces all). Anything else makes the whole fixture invalid, and the
error names `file:line` (exit 2): a line that is not a JSON object, a missing or unknown
`type`, a row before the first `test`, a field of the wrong type, a test without a request or
without an expect row. Unknown extra keys are ignored so newer writers stay readable (in an
`expect` row they also produce a warning: a misspelt assertion must not pass silently).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zigttp.errors import FixtureError

ROW_TYPES = ("test", "request", "io", "expect")
EXPECT_KEYS = frozenset({"type", "status", "body", "bodyEquals", "bodyContains", "headers"})


@dataclass(frozen=True)
class FixtureRequest:
    method: str = "GET"
    url: str = "/"
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None


@dataclass(frozen=True)
class IoRow:
    line: int
    module: str
    fn: str
    args: list[Any]
    result: Any
    seq: int | None = None


@dataclass(frozen=True)
class Expect:
    line: int
    status: int | None = None
    body: str | None = None
    body_contains: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FixtureTest:
    name: str
    line: int
    file: str
    request: FixtureRequest | None = None
    io: list[IoRow] = field(default_factory=list)
    expect: Expect | None = None
    skip: str | None = None  # a reason when the test row says `"skip": true` or `"skip": "why"`


@dataclass
class Fixture:
    path: str
    tests: list[FixtureTest]
    handler: str | None = None  # the first row's "handler" field, relative to the fixture
    warnings: list[str] = field(default_factory=list)  # e.g. a misspelt assertion key
    modules: list[str] = field(default_factory=list)  # the first row's "modules" (as --module)


def _fail(path: str, line: int, message: str) -> FixtureError:
    return FixtureError(
        f"{path}:{line}: invalid test fixture: {message} "
        "(expected JSONL rows with type test/request/io/expect)"
    )


class _Parser:
    def __init__(self, path: str) -> None:
        self.path = path
        self.tests: list[FixtureTest] = []
        self.handler: str | None = None
        self.modules: list[str] = []
        self.warnings: list[str] = []
        self.line = 0

    def error(self, message: str) -> FixtureError:
        return _fail(self.path, self.line, message)

    def want(self, row: dict[str, Any], key: str, kinds: type | tuple[type, ...], default: Any) -> Any:
        value = row.get(key, default)
        if value is default:
            return value
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in _tuple(kinds)):
            names = "/".join(k.__name__ for k in _tuple(kinds))
            raise self.error(f'field "{key}" must be {names}, got {json.dumps(value)}')
        return value

    def want_str_map(self, row: dict[str, Any], key: str) -> dict[str, str]:
        value = self.want(row, key, dict, None) or {}
        for name, item in value.items():
            if not isinstance(item, str):
                raise self.error(f'header "{name}" in "{key}" must be a string, got {json.dumps(item)}')
        return dict(value)

    def feed(self, text: str) -> None:
        try:
            row = json.loads(text)
        except ValueError as exc:
            raise self.error(f"not valid JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise self.error("not a JSON object")
        kind = row.get("type")
        if not isinstance(kind, str):
            raise self.error('missing string field "type"')
        if kind not in ROW_TYPES:
            raise self.error(f'unknown type "{kind}"')
        if kind == "test":
            self.start_test(row)
            return
        if not self.tests:
            raise self.error(f'"{kind}" row before any "test" row')
        getattr(self, f"add_{kind}")(self.tests[-1], row)

    def start_test(self, row: dict[str, Any]) -> None:
        if self.tests:
            self.finish(self.tests[-1])
        name = self.want(row, "name", str, "unnamed")
        if not self.tests and "handler" in row:
            self.handler = self.want(row, "handler", str, None)
        if not self.tests and "modules" in row:
            self.modules = self.want(row, "modules", list, None) or []
            if not all(isinstance(entry, str) for entry in self.modules):
                raise self.error('field "modules" must be a list of strings')
        skip = row.get("skip")
        reason = skip if isinstance(skip, str) else ("skipped" if skip else None)
        self.tests.append(FixtureTest(name, self.line, self.path, skip=reason))

    def add_request(self, test: FixtureTest, row: dict[str, Any]) -> None:
        test.request = FixtureRequest(
            method=self.want(row, "method", str, "GET").upper(),
            url=self.want(row, "url", str, "/"),
            headers=self.want_str_map(row, "headers"),
            body=self.want(row, "body", str, None),
        )

    def add_io(self, test: FixtureTest, row: dict[str, Any]) -> None:
        module = self.want(row, "module", str, None)
        fn = self.want(row, "fn", str, None)
        if module is None or fn is None:
            raise self.error('an "io" row needs string fields "module" and "fn"')
        test.io.append(
            IoRow(
                line=self.line,
                module=module.removeprefix("zigttp:"),
                fn=fn,
                args=self.want(row, "args", list, None) or [],
                result=row.get("result"),
                seq=self.want(row, "seq", int, None),
            )
        )

    def add_expect(self, test: FixtureTest, row: dict[str, Any]) -> None:
        unknown = sorted(set(row) - EXPECT_KEYS)
        if unknown:  # kept loadable for newer writers, but a typo must not pass silently
            self.warnings.append(
                f"{self.path}:{self.line}: expect row ignores unknown keys: "
                f"{', '.join(unknown)} (known: status, body, bodyContains, headers)"
            )
        body = self.want(row, "body", str, None)
        test.expect = Expect(
            line=self.line,
            status=self.want(row, "status", int, None),
            body=self.want(row, "bodyEquals", str, None) if body is None else body,
            body_contains=self.want(row, "bodyContains", str, None),
            headers=self.want_str_map(row, "headers"),
        )

    def finish(self, test: FixtureTest) -> None:
        if test.request is None:
            raise _fail(self.path, test.line, f'test "{test.name}" has no "request" row')
        if test.expect is None:
            raise _fail(self.path, test.line, f'test "{test.name}" has no "expect" row')


def _tuple(kinds: type | tuple[type, ...]) -> tuple[type, ...]:
    return kinds if isinstance(kinds, tuple) else (kinds,)


def parse_fixture_text(text: str, path: str = "<fixture>") -> Fixture:
    parser = _Parser(path)
    for number, raw in enumerate(text.splitlines(), start=1):
        parser.line = number
        stripped = raw.strip()
        if stripped:
            parser.feed(stripped)
    if parser.tests:
        parser.finish(parser.tests[-1])
    return Fixture(path, parser.tests, parser.handler, parser.warnings, parser.modules)


def load_fixture(path: str | Path) -> Fixture:
    """Read and parse one fixture file; a missing file is an error naming it."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FixtureError(f"test fixture not found: {file}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FixtureError(f"cannot read test fixture {file}: {exc}") from None
    return parse_fixture_text(text, str(file))
