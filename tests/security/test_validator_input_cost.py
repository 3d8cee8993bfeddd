"""Validators that run on client input cost time linear in it (issue 19, item 1).

The email format used a backtracking regex: `a@` followed by dots was quadratic, so one 40 KB
body froze a worker for 15 s under the GIL. These bodies are near the 1 MiB cap; at the old
cost each would hold the server for far longer than the client's timeout, which is what fails.
"""

from __future__ import annotations

import json

import pytest

HANDLER = r"""
import { schemaCompile, validateJson } from "zigttp:validate";
import { decodeJson } from "zigttp:decode";
schemaCompile("contact", JSON.stringify({
  type: "object", properties: { email: { type: "string", format: "email" } },
}));
export function handler(req) {
  const check = req.url.startsWith("/decode") ? decodeJson : validateJson;
  return Response.json(check("contact", req.text()));
}
"""

HOSTILE_EMAILS = {
    "dots after the at sign": "a@" + "." * 900_000 + "@",
    "dots then whitespace": "a@" + "." * 900_000 + " ",
    "many at signs": "a" + "@." * 450_000,
}


@pytest.mark.parametrize("route", ["/validate", "/decode"])
@pytest.mark.parametrize("name", sorted(HOSTILE_EMAILS))
def test_hostile_email_is_answered_before_the_client_gives_up(serve, route: str, name: str) -> None:
    server = serve(HANDLER, "-n", "1", "-q")
    body = json.dumps({"email": HOSTILE_EMAILS[name]})
    response = server.post(route, data=body, timeout=20)
    assert response.json() == {
        "ok": False,
        "errors": [{"path": "email", "message": "invalid email format"}],
    }
    assert server.get("/validate", data='{"email":"ann@example.com"}').json()["ok"] is True
