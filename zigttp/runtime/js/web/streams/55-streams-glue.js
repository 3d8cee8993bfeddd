// The internal API the glue (web-fetch's bodies, the dispatcher) uses through
// `hooks.streams` (web/30-streams.js): pull chunks with internal read requests, make a byte
// stream over bytes the host already holds.
(function (hooks, S, B) {
  "use strict";
  const freeze = Object.freeze;
  S.glueReader = function (value) {
    const stream = S.streamOf(value, "getReader");
    const reader = S.acquireDefaultReader(stream);
    return freeze({
      // onChunk(chunk) | onClose() | onError(e): exactly one, maybe before read() returns.
      read(onChunk, onClose, onError) {
        if (reader.stream === undefined) {
          onError(new S.TypeError("the stream's reader was released"));
          return;
        }
        const request = B.create(null);
        request.chunkSteps = onChunk;
        request.closeSteps = onClose;
        request.errorSteps = onError;
        S.rsdrRead(reader, request);
      },
      cancel(reason) {
        if (reader.stream === undefined) return S.resolved(undefined);
        const done = S.readerGenericCancel(reader, reason);
        S.rsdrRelease(reader);
        return done;
      },
      release() { if (reader.stream !== undefined) S.rsdrRelease(reader); },
    });
  };
  S.glueFromBytes = function (bytes) {
    let sent = false;
    const stream = S.createReadableByteStream(() => undefined, () => {
      const c = stream.controller;
      if (!sent) {
        sent = true;
        const view = S.bytesOf(bytes, "fromBytes");
        if (view.byteLength > 0) S.rbcEnqueue(c, new B.Uint8Array(view));
      }
      if (!c.closeRequested && stream.state === "readable") S.rbcClose(c);
      if (c.pendingPullIntos.length > 0) S.rbcRespond(c, 0);
      return S.resolved(undefined);
    }, () => S.resolved(undefined));
    return stream.wrapper;
  };
})
