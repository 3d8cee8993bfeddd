// The global fetch(): outbound HTTP(S) through the host (zigttp/web/outbound.py), allowed only
// to the hosts named by --outbound-host. The call runs on a host thread (a host task,
// zigttp/web/tasks.py, hooks.hostTask in web/10-timers.js) while the request's loop goes on,
// so several fetches run at once and timers fire meanwhile; the request's deadline, lowered to
// --outbound-timeout-ms, covers all of it, redirects included. An AbortSignal already aborted
// rejects before any I/O; one aborted while the call runs rejects with its reason at once and
// stops the call (its socket is shut down).
(function (hooks) {
  "use strict";
  const internals = hooks.fetchInternals, native = hooks.native, remaining = hooks.remaining;
  const promiseThen = Promise.prototype.then, reflectApply = Reflect.apply;
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
      hooks.internal("setTimeout"); // the timers file holds the loop's side of host tasks
      const id = native("fetch.start", parts[0], parts[1], parts[2], parts[3], parts[4], remaining());
      let settled = false;
      if (watched && hooks.isAbortSignal !== undefined && hooks.isAbortSignal(signal)) {
        hooks.onAbort(signal, () => {
          if (settled) return;
          settled = true;
          hooks.cancelTask(id);
          reject(abortReason(signal));
        });
      }
      reflectApply(promiseThen, hooks.hostTask(id), [(reply) => {
        if (settled) return;
        settled = true;
        resolve(internals.makeResponse(reply.status, reply.statusText, reply.headers, reply.body,
          reply.url, reply.redirected, false));
      }, (error) => {
        if (settled) return;
        settled = true;
        reject(error);
      }]);
    });
  }
  Object.defineProperty(globalThis, "fetch", { value: fetch, writable: true, configurable: true });
})
