"""The fixture runner: assertions and their messages, fresh runtimes, io stubs, divergences."""

from __future__ import annotations

import json

from tests.testing.support import REAL_CALLS, fixture, module_handler, run_text

ECHO = """
function handler(req) {
  if (req.path === "/boom") throw new Error("kaboom");
  if (req.path === "/long") return Response.text("x".repeat(500));
  return Response.json({ method: req.method, path: req.path, body: req.body },
                       { headers: { "X-Trace": "abc" } });
}
"""
REQ = '{"type":"request","method":"POST","url":"/p","headers":{"Content-Type":"text/plain"},"body":"hi"}'
BODY = '{"method":"POST","path":"/p","body":"hi"}'


def one(handler: str, *rows: str, **options: object):  # type: ignore[no-untyped-def]
    run = run_text(handler, fixture('{"type":"test","name":"t"}', *rows), **options)
    assert len(run.results) == 1
    return run.results[0]


def test_all_assertions_pass() -> None:
    expect = (
        '{"type":"expect","status":200,"body":' + '"' + BODY.replace('"', '\\"') + '"'
        ',"bodyContains":"POST","headers":{"x-trace":"abc","CONTENT-TYPE":"application/json"}}'
    )
    result = one(ECHO, REQ, expect)
    assert result.status == "pass", result.reasons
    assert result.reasons == []


def test_status_mismatch_message() -> None:
    result = one(ECHO, REQ, '{"type":"expect","status":404}')
    assert result.status == "fail"
    assert result.reasons == ["expected status: 404, actual status: 200"]


def test_body_mismatch_message() -> None:
    result = one(ECHO, REQ, '{"type":"expect","body":"nope"}')
    assert result.reasons == [f'body mismatch: expected "nope", actual {json.dumps(BODY)}']


def test_body_contains_message() -> None:
    result = one(ECHO, REQ, '{"type":"expect","bodyContains":"absent"}')
    assert len(result.reasons) == 1
    assert result.reasons[0].startswith('body does not contain "absent"; actual body: "{')


def test_missing_header_message() -> None:
    result = one(ECHO, REQ, '{"type":"expect","headers":{"X-Missing":"1"}}')
    assert result.reasons == ["missing header: X-Missing: 1"]


def test_header_value_mismatch_message() -> None:
    result = one(ECHO, REQ, '{"type":"expect","headers":{"X-Trace":"other"}}')
    assert result.reasons == ['header X-Trace: expected "other", actual "abc"']


def test_header_names_are_case_insensitive_values_exact() -> None:
    assert one(ECHO, REQ, '{"type":"expect","headers":{"x-TRACE":"abc"}}').status == "pass"
    assert one(ECHO, REQ, '{"type":"expect","headers":{"x-trace":"ABC"}}').status == "fail"


def test_bodies_in_messages_are_truncated_to_200_chars() -> None:
    result = one(ECHO, '{"type":"request","url":"/long"}', '{"type":"expect","body":"y"}')
    message = result.reasons[0]
    assert '"' + "x" * 200 + '..." (500 chars)' in message
    assert "x" * 201 not in message


def test_handler_error_fails_with_the_error() -> None:
    result = one(ECHO, '{"type":"request","url":"/boom"}', '{"type":"expect","status":200}')
    assert result.reasons == ["error: kaboom", "expected status: 200, actual status: 500"]


def test_expected_500_from_a_throw_passes() -> None:
    result = one(
        ECHO, '{"type":"request","url":"/boom"}', '{"type":"expect","status":500,"bodyContains":"kaboom"}'
    )
    assert result.status == "pass", result.reasons


def test_handler_that_fails_to_load_fails_every_test() -> None:
    result = one('throw new Error("top-level");', REQ, '{"type":"expect","status":500}')
    assert result.status == "fail"
    assert result.reasons[0].startswith("error: failed to load h.js: Error: top-level")


def test_console_output_is_kept_for_failures() -> None:
    handler = 'function handler(r) { console.log("seen", 1); return Response.text("x"); }'
    result = one(handler, REQ, '{"type":"expect","status":201}')
    assert result.console == ["console.info: seen 1"]


def test_every_test_gets_a_fresh_runtime() -> None:
    handler = "let count = 0; function handler(r) { count += 1; return Response.text(String(count)); }"
    test = '{"type":"test","name":"n"}\n{"type":"request"}\n{"type":"expect","body":"1"}\n'
    run = run_text(handler, test * 3)
    assert [r.status for r in run.results] == ["pass"] * 3


def test_skipped_test_is_not_run() -> None:
    run = run_text(
        ECHO, fixture('{"type":"test","name":"s","skip":true}', REQ, '{"type":"expect","status":999}')
    )
    assert run.results[0].status == "skip"


# -- io rows ----------------------------------------------------------------------------------

LOOKUP = module_handler("""
register("boot");
function handler(req) {
  const a = lookup("first");
  const b = lookup("second");
  return Response.json({ a: a === undefined ? "undef" : a, b: b === undefined ? "undef" : b });
}
""")
IO_A = '{"type":"io","seq":0,"module":"fake","fn":"lookup","args":["first"],"result":"stub-a"}'
IO_B = '{"type":"io","seq":1,"module":"fake","fn":"lookup","args":["second"],"result":{"ok":true}}'


def test_io_rows_answer_calls_in_file_order() -> None:
    REAL_CALLS.clear()
    result = one(
        LOOKUP, REQ, IO_A, IO_B, '{"type":"expect","body":"{\\"a\\":\\"stub-a\\",\\"b\\":{\\"ok\\":true}}"}'
    )
    assert result.status == "pass", result.reasons
    assert result.warnings == []
    assert ("lookup", "first") not in REAL_CALLS  # stubbed, never run for real


def test_non_traceable_exports_run_for_real() -> None:
    REAL_CALLS.clear()
    one(LOOKUP, REQ, IO_A, IO_B, '{"type":"expect"}')
    assert REAL_CALLS == [("register", "boot")]


def test_null_result_is_undefined_in_js() -> None:
    io_null = IO_A.replace('"stub-a"', "null")
    result = one(LOOKUP, REQ, io_null, IO_B, '{"type":"expect","bodyContains":"\\"a\\":\\"undef\\""}')
    assert result.status == "pass", result.reasons


def test_call_without_io_row_is_a_divergence_warning() -> None:
    result = one(LOOKUP, REQ, IO_A, '{"type":"expect","bodyContains":"\\"b\\":\\"undef\\""}')
    assert result.status == "pass"
    assert result.warnings == [
        'io divergence: call #2 fake.lookup("second") has no io row (returned undefined)'
    ]


def test_mismatched_io_row_is_a_divergence_but_answers() -> None:
    other = IO_B.replace('"fn":"lookup"', '"fn":"other"')
    result = one(LOOKUP, REQ, IO_A, other, '{"type":"expect","bodyContains":"\\"ok\\":true"}')
    assert result.status == "pass", result.reasons
    assert result.warnings == [
        'io divergence: call #2 fake.lookup("second") does not match io row '
        "at line 4 (fake.other); its result was used"
    ]


def test_unused_io_row_is_a_divergence() -> None:
    extra = '{"type":"io","module":"fake","fn":"lookup","result":1}'
    result = one(LOOKUP, REQ, IO_A, IO_B, extra, '{"type":"expect"}')
    assert result.warnings == ["io divergence: io row at line 5 (fake.lookup) was not used"]


def test_strict_io_turns_divergences_into_failures() -> None:
    result = one(LOOKUP, REQ, IO_A, '{"type":"expect"}', strict_io=True)
    assert result.status == "fail"
    assert result.warnings == []
    assert result.reasons == [
        'io divergence: call #2 fake.lookup("second") has no io row (returned undefined)'
    ]


def test_top_level_calls_consume_io_rows_first() -> None:
    handler = module_handler("""
const boot = lookup("boot");
function handler(req) { return Response.text(String(boot) + "/" + String(lookup("req"))); }
""")
    rows = (
        '{"type":"io","module":"fake","fn":"lookup","result":"B"}',
        '{"type":"io","module":"fake","fn":"lookup","result":"R"}',
    )
    result = one(handler, REQ, *rows, '{"type":"expect","body":"B/R"}')
    assert result.status == "pass", result.reasons
