// The global fetch(): outbound HTTP(S) through the host (zigttp/web/outbound.py), allowed only
// to the hosts named by --outbound-host. The call itself is synchronous on the runtime's
// thread (the request's deadline, lowered to --outbound-timeout-ms, covers all of it, redirects
// included); the Response comes back in a promise, as the standard says. An AbortSignal
// already aborted rejects before any I/O, one aborted by the time the answer arrives rejects
// with its reason.
(function (hooks) {
  "use strict";
  const internals = hooks.fetchInternals, native = hooks.native, remaining = hooks.remaining;
  const PromiseCtor = Promise, ErrorCtor = Error;
  function abortReason(signal) {
    if (signal.reason !== undefined) return signal.reason;
    const DOMExceptionCtor = globalThis.DOMException;
    if (typeof DOMExceptionCtor === "function") return new DOMExceptionCtor("The operation was aborted.", "AbortError");
    const error = new ErrorCtor("The operation was aborted.");
    error.name = "AbortError";
    return error;
  }
  // The Fetch standard's data: URL processor: no I/O and no --outbound-host check (nothing
  // leaves the process). "data:[<mime>][;base64],<percent-encoded bytes>".
  const BASE64 = /;[\t\n\f\r ]*base64[\t\n\f\r ]*$/i, MIME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+\s*(;.*)?$/;
  const TypeErrorCtor = TypeError, Uint8ArrayCtor = Uint8Array, parseIntFn = parseInt;
  function dataResponse(url) {
    const hash = url.indexOf("#");
    const rest = url.slice(5, hash < 0 ? url.length : hash);
    const comma = rest.indexOf(",");
    if (comma < 0) throw new TypeErrorCtor(`fetch: ${JSON.stringify(url)} is not a valid data: URL (no comma)`);
    let mime = rest.slice(0, comma).trim();
    let bytes = percentDecode(rest.slice(comma + 1));
    if (BASE64.test(mime)) {
      mime = mime.slice(0, mime.lastIndexOf(";"));
      let text = "";
      for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
      try { text = hooks.internal("atob")(text); } catch (_e) { throw new TypeErrorCtor("fetch: the data: URL's base64 is invalid"); }
      bytes = new Uint8ArrayCtor(text.length);
      for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    }
    if (mime.startsWith(";")) mime = "text/plain" + mime;
    if (!MIME.test(mime)) mime = "text/plain;charset=US-ASCII";
    return internals.makeResponse(200, "OK", [["content-type", mime]], bytes.buffer, url, false, false);
  }
  function percentDecode(text) {
    const out = [];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const hex = text.slice(i + 1, i + 3);
      if (c === 37 && /^[0-9A-Fa-f]{2}$/.test(hex)) { out.push(parseIntFn(hex, 16)); i += 2; } else out.push(c & 0xff);
    }
    return new Uint8ArrayCtor(out);
  }
  function fetch(input, init) {
    return new PromiseCtor((resolve, reject) => {
      const request = internals.isRequest(input) && init === undefined ? input : internals.newRequest(input, init);
      const signal = request.signal;
      const watched = signal !== null && typeof signal === "object";
      if (watched && signal.aborted) { reject(abortReason(signal)); return; }
      if (request.url.startsWith("data:")) { resolve(dataResponse(request.url)); return; }
      const parts = internals.requestParts(request);
      const reply = native("fetch.send", parts[0], parts[1], parts[2], parts[3], parts[4], remaining());
      if (watched && signal.aborted) { reject(abortReason(signal)); return; }
      resolve(internals.makeResponse(reply.status, reply.statusText, reply.headers, reply.body,
        reply.url, reply.redirected, false));
    });
  }
  Object.defineProperty(globalThis, "fetch", { value: fetch, writable: true, configurable: true });
})
