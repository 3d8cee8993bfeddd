"""crypto.subtle and Blob through a real `zigttp serve`: a webhook-style HMAC check."""

from __future__ import annotations

import hashlib
import hmac

HANDLER = r"""
const secret = Uint8Array.from("hook-secret", (c) => c.charCodeAt(0));
let keyPromise = null;
async function handler(req) {
  keyPromise ??= crypto.subtle.importKey("raw", secret, {name: "HMAC", hash: "SHA-256"}, false, ["sign", "verify"]);
  const key = await keyPromise;
  const body = await req.arrayBuffer();
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, body));
  const hex = Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
  const blob = new Blob([body, "!"], {type: "Text/Plain"});
  return Response.json({hex, ok: hex === req.headers["x-signature"], blob: [blob.size, blob.type, await blob.text()]});
}
"""


def test_hmac_of_a_posted_body_matches_python_and_the_runtime_keeps_serving(serve) -> None:
    server = serve(HANDLER)
    for body in (b"first", b"second payload"):
        signature = hmac.new(b"hook-secret", body, hashlib.sha256).hexdigest()
        response = server.post("/hook", data=body, headers={"x-signature": signature})
        assert response.status_code == 200
        assert response.json() == {
            "hex": signature,
            "ok": True,
            "blob": [len(body) + 1, "text/plain", body.decode() + "!"],
        }
