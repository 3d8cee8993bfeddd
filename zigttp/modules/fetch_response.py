"""`zigttp:fetch` as handlers see it: a Response per call, `query:`, and `fetchWithRetry`.

The host function (`fetch.py`, `Fetcher.fetch`) keeps its JSON contract, a Result
`{ok: true, value: {status, headers, body}}` or `{ok: false, error: {tag, message}}`, which
is what traces record. The JS wrappers here turn that into what the original zigttp and the
web platform return, a `Response` (`ok`, `status`, `statusText`, `headers.get()`, `text()`,
`json()`): a handler can also return it as is. As upstream, a call that gets no response is
a Response with status 599, `statusText` and `error` = the failure tag (`timeout`,
`host_not_allowed`, ...), `details` = the message, and a JSON body holding both.
A fixture's `io` row may hold either the Result or upstream's recorded
`{status, statusText, headers, body}`: both are understood.

`init.query` (an object of string, number or boolean values) is percent-encoded onto the URL,
after any query the URL already has; other value types are a 599 `invalid_query` response.

`fetchWithRetry(url, init?, {maxRetries = 3, baseDelayMs = 100, maxDelayMs = 5000,
retryOn = [429, 500, 502, 503, 504]})` repeats the call (each attempt is one traced `fetch`)
while the status is in `retryOn`, sleeping `min(baseDelayMs * 2^attempt, maxDelayMs)`
between attempts; limits as upstream (retries <= 10, base <= 5000, max <= 30000 ms, negative
values taken as 0). A sleep that would end past the request's deadline is not started: the
last response is returned instead, so retries never outlive `--timeout`.
"""

from __future__ import annotations

import time
from typing import Any

from zigttp.modules._result import bad_arg, is_number

MAX_SLEEP_MS = 30_000

_TO_RESPONSE = """
  const makeResponse = hooks.fetchInternals.makeResponse, stringify = JSON.stringify, isArray = Array.isArray;
  const keysOf = Object.keys, encode = encodeURIComponent;
  function pairsOf(headers) {
    const out = [];
    if (headers === null || typeof headers !== "object") return out;
    for (const name of keysOf(headers)) out.push([name, String(headers[name])]);
    return out;
  }
  // The original's synchronous, re-readable Response (prelude's makeResponse, `sync`).
  function failed(tag, details) {
    const res = makeResponse(599, tag, [["content-type", "application/json"]],
      stringify({ error: tag, details }), "", false, true);
    Object.defineProperty(res, "error", { value: tag, enumerable: true });
    Object.defineProperty(res, "details", { value: details, enumerable: true });
    return res;
  }
  function toResponse(reply) {
    if (reply !== null && typeof reply === "object" && reply.ok === false && reply.error) {
      return failed(String(reply.error.tag), String(reply.error.message));
    }
    const record = reply !== null && typeof reply === "object" && reply.ok === true
      ? reply.value : reply;
    if (record === null || typeof record !== "object" || typeof record.status !== "number") {
      return failed("invalid_response", "the fetch reply has no status");
    }
    const statusText = record.statusText === undefined ? undefined : String(record.statusText);
    const body = record.body === undefined ? "" : String(record.body);
    return makeResponse(record.status, statusText, pairsOf(record.headers), body, "", false, true);
  }
  function withQuery(url, query) {
    if (query === undefined || query === null) return url;
    if (typeof query !== "object" || isArray(query)) return null;
    let out = String(url);
    let sep = out.indexOf("?") >= 0 ? "&" : "?";
    for (const key of keysOf(query)) {
      const value = query[key];
      if (value === undefined) continue;
      const kind = typeof value;
      if (kind !== "string" && kind !== "number" && kind !== "boolean") return null;
      out += sep + encode(key) + "=" + encode(String(value));
      sep = "&";
    }
    return out;
  }
"""

FETCH_JS = (
    "(function () {"
    + _TO_RESPONSE
    + """
  return function fetch(url, init) {
    const query = init !== null && typeof init === "object" ? init.query : undefined;
    const target = withQuery(url, query);
    if (target === null) {
      return failed("invalid_query", "query must be an object of string, number or boolean values");
    }
    return toResponse(__host(target, init));
  };
})()"""
)

RETRY_JS = """(function () {
  const now = Date.now, min = Math.min, trunc = Math.trunc;
  const DEFAULT_RETRY_ON = [429, 500, 502, 503, 504];
  function option(options, key, fallback, limit) {
    const value = options[key];
    if (value === undefined) return fallback;
    if (typeof value !== "number" || value !== value) {
      throw new TypeError("fetchWithRetry() " + key + " must be a number");
    }
    const n = value < 0 ? 0 : trunc(value);
    if (n > limit) throw new TypeError("fetchWithRetry() " + key + " must be <= " + limit);
    return n;
  }
  return function fetchWithRetry(url, init, retryOptions) {
    const options = retryOptions !== null && typeof retryOptions === "object" ? retryOptions : {};
    const maxRetries = option(options, "maxRetries", 3, 10);
    const baseDelayMs = option(options, "baseDelayMs", 100, 5000);
    const maxDelayMs = option(options, "maxDelayMs", 5000, 30000);
    const retryOn = Array.isArray(options.retryOn) ? options.retryOn : DEFAULT_RETRY_ON;
    const fetchOnce = __zigttp_import("fetch").fetch;
    for (let attempt = 0; ; attempt += 1) {
      const res = fetchOnce(url, init);
      if (res.ok || attempt >= maxRetries || retryOn.indexOf(res.status) < 0) return res;
      const delay = min(baseDelayMs * 2 ** attempt, maxDelayMs);
      if (delay > hooks.remaining()) return res;  // past the request's deadline (engine hook)
      if (delay > 0) __host(delay);
    }
  };
})()"""

JS_WRAPPERS = {"fetch": FETCH_JS, "fetchWithRetry": RETRY_JS}


def retry_sleep(delay_ms: Any) -> None:
    """The host side of `fetchWithRetry`: one bounded back-off sleep between attempts."""
    if not is_number(delay_ms) or not 0 <= delay_ms <= MAX_SLEEP_MS:
        raise bad_arg("fetchWithRetry", "delay", f"a number of milliseconds <= {MAX_SLEEP_MS}")
    time.sleep(delay_ms / 1000)
