"""The JSONL fixture parser: row types, defaults, and every invalid-fixture rule (file:line)."""

from __future__ import annotations

import pytest

from zigttp.errors import FixtureError
from zigttp.testing.fixtures import load_fixture, parse_fixture_text

GOOD = """\
{"type":"test","name":"first","handler":"h.js"}
{"type":"request","method":"post","url":"/x?a=1","headers":{"X-A":"1"},"body":"hi"}
{"type":"io","seq":0,"module":"zigttp:env","fn":"env","args":["A"],"result":"v"}
{"type":"io","module":"crypto","fn":"sha256","result":null}
{"type":"expect","status":201,"body":"b","bodyContains":"c","headers":{"X-B":"2"}}

{"type":"test"}
{"type":"request"}
{"type":"expect"}
"""


def test_every_row_type_is_parsed() -> None:
    fixture = parse_fixture_text(GOOD, "f.test.jsonl")
    first = fixture.tests[0]
    assert (first.name, first.line, fixture.handler) == ("first", 1, "h.js")
    assert first.request is not None
    assert (first.request.method, first.request.url, first.request.body) == ("POST", "/x?a=1", "hi")
    assert first.request.headers == {"X-A": "1"}
    assert [(r.module, r.fn, r.args, r.result, r.line) for r in first.io] == [
        ("env", "env", ["A"], "v", 3),
        ("crypto", "sha256", [], None, 4),
    ]
    assert first.expect is not None
    assert (first.expect.status, first.expect.body, first.expect.body_contains) == (201, "b", "c")
    assert first.expect.headers == {"X-B": "2"}


def test_defaults_for_missing_fields() -> None:
    second = parse_fixture_text(GOOD).tests[1]
    assert second.name == "unnamed"
    assert second.request is not None
    assert (second.request.method, second.request.url, second.request.body) == ("GET", "/", None)
    assert second.expect is not None and second.expect.status is None


def test_last_request_and_last_expect_win() -> None:
    text = "\n".join(
        [
            '{"type":"test","name":"t"}',
            '{"type":"request","url":"/a"}',
            '{"type":"request","url":"/b"}',
            '{"type":"expect","status":200,"bodyContains":"x"}',
            '{"type":"expect","status":404}',
        ]
    )
    test = parse_fixture_text(text).tests[0]
    assert test.request is not None and test.request.url == "/b"
    assert test.expect is not None and (test.expect.status, test.expect.body_contains) == (404, None)


def test_body_equals_is_an_alias_of_body() -> None:
    text = '{"type":"test"}\n{"type":"request"}\n{"type":"expect","bodyEquals":"exact"}'
    expect = parse_fixture_text(text).tests[0].expect
    assert expect is not None and expect.body == "exact"


def test_skip_field_marks_a_test_skipped() -> None:
    text = '{"type":"test","name":"s","skip":"later"}\n{"type":"request"}\n{"type":"expect"}'
    assert parse_fixture_text(text).tests[0].skip == "later"


def test_blank_and_whitespace_lines_are_ignored() -> None:
    text = '\n  \n{"type":"test"}\n\t\n{"type":"request"}\n\n{"type":"expect"}\n\n'
    assert len(parse_fixture_text(text).tests) == 1


def test_empty_fixture_has_no_tests() -> None:
    assert parse_fixture_text("\n\n").tests == []


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('{"type":"test"}\nnot json', 2, "not valid JSON"),
        ('["type","test"]', 1, "not a JSON object"),
        ('{"type":"test"}\n{"name":"x"}', 2, 'missing string field "type"'),
        ('{"type":7}', 1, 'missing string field "type"'),
        ('{"type":"test"}\n{"type":"response"}', 2, 'unknown type "response"'),
        ('{"type":"request","url":"/"}', 1, '"request" row before any "test" row'),
        ('{"type":"expect","status":200}', 1, '"expect" row before any "test" row'),
        ('{"type":"io","module":"env","fn":"env"}', 1, '"io" row before any "test" row'),
        (
            '{"type":"test","name":"lonely"}\n{"type":"expect","status":200}',
            1,
            'test "lonely" has no "request" row',
        ),
        (
            '{"type":"test","name":"a"}\n{"type":"request"}\n{"type":"test","name":"b"}\n'
            '{"type":"request"}\n{"type":"expect"}',
            1,
            'test "a" has no "expect" row',
        ),
        ('{"type":"test"}\n{"type":"request","url":5}', 2, 'field "url" must be str'),
        ('{"type":"test"}\n{"type":"request","headers":{"a":1}}', 2, 'header "a" in "headers"'),
        (
            '{"type":"test"}\n{"type":"request"}\n{"type":"expect","status":"200"}',
            3,
            'field "status" must be int',
        ),
        (
            '{"type":"test"}\n{"type":"request"}\n{"type":"expect","status":true}',
            3,
            'field "status" must be int',
        ),
        ('{"type":"test"}\n{"type":"io","module":"env"}', 2, '"module" and "fn"'),
    ],
)
def test_invalid_fixture_names_file_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(FixtureError) as caught:
        parse_fixture_text(text, "bad.test.jsonl")
    assert f"bad.test.jsonl:{line}:" in str(caught.value)
    assert message in str(caught.value)
    assert caught.value.exit_code == 2


def test_missing_fixture_file_is_a_fixture_error(tmp_path) -> None:
    with pytest.raises(FixtureError, match="test fixture not found"):
        load_fixture(tmp_path / "nope.test.jsonl")


def test_unknown_expect_keys_are_a_warning() -> None:
    text = '{"type":"test"}\n{"type":"request"}\n{"type":"expect","status":200,"bodycontains":"x"}'
    fixture = parse_fixture_text(text, "w.test.jsonl")
    assert fixture.warnings == [
        "w.test.jsonl:3: expect row ignores unknown keys: bodycontains "
        "(known: status, body, bodyContains, headers)"
    ]


def test_first_row_may_name_user_modules() -> None:
    text = '{"type":"test","modules":["billing.py","zigttp:x"]}\n{"type":"request"}\n{"type":"expect"}'
    assert parse_fixture_text(text).modules == ["billing.py", "zigttp:x"]


def test_modules_field_must_be_strings() -> None:
    with pytest.raises(FixtureError, match='"modules" must be a list of strings'):
        parse_fixture_text('{"type":"test","modules":[1]}\n{"type":"request"}\n{"type":"expect"}')
