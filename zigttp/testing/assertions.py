"""What a test observed (`Actual`) and the `expect` checks, with their failure messages.

Rules (upstream-reference §2.2): `status` exact; `body` exact; `bodyContains` substring;
`headers`: each expected name, case-insensitive, must be present with an exactly equal value
(repeated response headers are joined with ", "). A handler error fails the test unless the
test expects its status (e.g. 500); a runtime that cannot even load always fails. Bodies in
messages are truncated to 200 characters, needles to 100.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from zigttp.runtime.marshal import HandlerResponse
from zigttp.testing.fixtures import FixtureTest

BODY_PREVIEW = 200
NEEDLE_PREVIEW = 100


@dataclass
class Actual:
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # lower-cased names
    body: str = ""
    error: str | None = None
    load_failed: bool = False

    @classmethod
    def from_response(cls, response: HandlerResponse) -> Actual:
        headers: dict[str, str] = {}
        for name, value in response.headers:
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        return cls(response.status, headers, response.body.decode("utf-8", "replace"))


def preview(text: str, limit: int = BODY_PREVIEW) -> str:
    """A JSON-quoted, truncated rendering: whitespace and quotes stay visible."""
    if len(text) > limit:
        return json.dumps(text[:limit], ensure_ascii=False)[:-1] + '..." (' + f"{len(text)} chars)"
    return json.dumps(text, ensure_ascii=False)


def check_expectations(test: FixtureTest, actual: Actual) -> list[str]:
    """Failure reasons; empty when the test passes."""
    expect = test.expect
    assert expect is not None
    if actual.load_failed:  # nothing ran: the other comparisons would only repeat it
        return [f"error: {actual.error}"]
    reasons: list[str] = []
    if actual.error is not None and expect.status != actual.status:
        reasons.append(f"error: {actual.error}")
    if expect.status is not None and expect.status != actual.status:
        reasons.append(f"expected status: {expect.status}, actual status: {actual.status}")
    if expect.body is not None and expect.body != actual.body:
        reasons.append(f"body mismatch: expected {preview(expect.body)}, actual {preview(actual.body)}")
    if expect.body_contains is not None and expect.body_contains not in actual.body:
        reasons.append(
            f"body does not contain {preview(expect.body_contains, NEEDLE_PREVIEW)}; "
            f"actual body: {preview(actual.body)}"
        )
    for name, value in expect.headers.items():
        got = actual.headers.get(name.lower())
        if got is None:
            reasons.append(f"missing header: {name}: {value}")
        elif got != value:
            reasons.append(f"header {name}: expected {preview(value)}, actual {preview(got)}")
    return reasons
