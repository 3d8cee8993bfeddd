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
  function fetch(input, init) {
    return new PromiseCtor((resolve, reject) => {
      const request = internals.isRequest(input) && init === undefined ? input : internals.newRequest(input, init);
      const signal = request.signal;
      const watched = signal !== null && typeof signal === "object";
      if (watched && signal.aborted) { reject(abortReason(signal)); return; }
      if (request.url.startsWith("data:")) { // answered from the URL itself (zigttp/web/data_url.py)
        const data = native("data.fetch", request.url);
        resolve(internals.makeResponse(200, "OK", [["content-type", data[0]]], data[1], request.url, false, false));
        return;
      }
      const parts = internals.requestParts(request);
      const reply = native("fetch.send", parts[0], parts[1], parts[2], parts[3], parts[4], remaining());
      if (watched && signal.aborted) { reject(abortReason(signal)); return; }
      resolve(internals.makeResponse(reply.status, reply.statusText, reply.headers, reply.body,
        reply.url, reply.redirected, false));
    });
  }
  Object.defineProperty(globalThis, "fetch", { value: fetch, writable: true, configurable: true });
})
