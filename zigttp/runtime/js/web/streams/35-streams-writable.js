// WritableStream, WritableStreamDefaultWriter and WritableStreamDefaultController (Streams
// Standard §5). ws* = WritableStream's abstract operations, writer* = the default writer's,
// wsdc* = the controller's. The controller's AbortSignal is made on first use of `signal`
// (an abort before then is replayed), so a stream costs no AbortController it never shows.
(function (hooks, S, B) {
  "use strict";
  const { TypeError: TypeErrorCtor, RangeError: RangeErrorCtor, apply } = S, objectCreate = B.create;
  const closeSentinel = objectCreate(null);

  const record = S.record, slot = S.slot;
  function initializeWritableStream(stream) {
    stream.state = "writable";
    stream.storedError = stream.writer = stream.controller = undefined;
    stream.inFlightWriteRequest = stream.closeRequest = stream.inFlightCloseRequest = undefined;
    stream.pendingAbortRequest = undefined;
    stream.writeRequests = new S.Queue();
    stream.backpressure = false;
  }
  S.createWritableStream = function (start, write, close, abort, highWaterMark, sizeAlgorithm) {
    const stream = record("WritableStream");
    initializeWritableStream(stream);
    S.wrap(WritableStream.prototype, stream);
    setUpController(stream, newController(), start, write, close, abort, highWaterMark, sizeAlgorithm);
    return stream;
  };

  // --- the stream (§5.5) ---
  function wsIsLocked(stream) { return stream.writer !== undefined; }
  function wsAbort(stream, reason) {
    if (stream.state === "closed" || stream.state === "errored") return S.resolved(undefined);
    wsdcSignalAbort(stream.controller, reason);
    const state = stream.state;
    if (state === "closed" || state === "errored") return S.resolved(undefined);
    if (stream.pendingAbortRequest !== undefined) return stream.pendingAbortRequest.promise;
    const wasAlreadyErroring = state === "erroring";
    const request = S.newPromise();
    request.reason = wasAlreadyErroring ? undefined : reason;
    request.wasAlreadyErroring = wasAlreadyErroring;
    stream.pendingAbortRequest = request;
    if (!wasAlreadyErroring) wsStartErroring(stream, reason);
    return request.promise;
  }
  function wsClose(stream) {
    const state = stream.state;
    if (state === "closed" || state === "errored") {
      return S.rejected(new TypeErrorCtor("cannot close a WritableStream that is " + state));
    }
    const request = S.newPromise();
    stream.closeRequest = request;
    const writer = stream.writer;
    if (writer !== undefined && stream.backpressure && state === "writable") S.settleResolve(writer.ready, undefined);
    wsdcClose(stream.controller);
    return request.promise;
  }
  function wsAddWriteRequest(stream) {
    const request = S.newPromise();
    stream.writeRequests.push(request);
    return request.promise;
  }
  function wsDealWithRejection(stream, error) {
    if (stream.state === "writable") wsStartErroring(stream, error);
    else wsFinishErroring(stream);
  }
  function wsStartErroring(stream, reason) {
    const controller = stream.controller;
    stream.state = "erroring";
    stream.storedError = reason;
    if (stream.writer !== undefined) writerEnsureReadyPromiseRejected(stream.writer, reason);
    if (!wsHasOperationMarkedInFlight(stream) && controller.started) wsFinishErroring(stream);
  }
  function wsFinishErroring(stream) {
    stream.state = "errored";
    S.resetQueue(stream.controller);
    const storedError = stream.storedError;
    const requests = stream.writeRequests;
    stream.writeRequests = new S.Queue();
    while (requests.length > 0) requests.shift().reject(storedError);
    const abortRequest = stream.pendingAbortRequest;
    if (abortRequest === undefined) {
      wsRejectCloseAndClosedPromiseIfNeeded(stream);
      return;
    }
    stream.pendingAbortRequest = undefined;
    if (abortRequest.wasAlreadyErroring) {
      abortRequest.reject(storedError);
      wsRejectCloseAndClosedPromiseIfNeeded(stream);
      return;
    }
    const c = stream.controller;
    const promise = c.abortAlgorithm(abortRequest.reason);
    wsdcClearAlgorithms(c);
    S.upon(promise, () => {
      abortRequest.resolve(undefined);
      wsRejectCloseAndClosedPromiseIfNeeded(stream);
    }, (reason) => {
      abortRequest.reject(reason);
      wsRejectCloseAndClosedPromiseIfNeeded(stream);
    });
  }
  function wsFinishInFlightWrite(stream) {
    stream.inFlightWriteRequest.resolve(undefined);
    stream.inFlightWriteRequest = undefined;
  }
  function wsFinishInFlightWriteWithError(stream, error) {
    stream.inFlightWriteRequest.reject(error);
    stream.inFlightWriteRequest = undefined;
    wsDealWithRejection(stream, error);
  }
  function wsFinishInFlightClose(stream) {
    stream.inFlightCloseRequest.resolve(undefined);
    stream.inFlightCloseRequest = undefined;
    if (stream.state === "erroring") {
      stream.storedError = undefined;
      if (stream.pendingAbortRequest !== undefined) {
        stream.pendingAbortRequest.resolve(undefined);
        stream.pendingAbortRequest = undefined;
      }
    }
    stream.state = "closed";
    if (stream.writer !== undefined) S.settleResolve(stream.writer.closed, undefined);
  }
  function wsFinishInFlightCloseWithError(stream, error) {
    stream.inFlightCloseRequest.reject(error);
    stream.inFlightCloseRequest = undefined;
    if (stream.pendingAbortRequest !== undefined) {
      stream.pendingAbortRequest.reject(error);
      stream.pendingAbortRequest = undefined;
    }
    wsDealWithRejection(stream, error);
  }
  function wsCloseQueuedOrInFlight(stream) {
    return stream.closeRequest !== undefined || stream.inFlightCloseRequest !== undefined;
  }
  function wsHasOperationMarkedInFlight(stream) {
    return stream.inFlightWriteRequest !== undefined || stream.inFlightCloseRequest !== undefined;
  }
  function wsRejectCloseAndClosedPromiseIfNeeded(stream) {
    if (stream.closeRequest !== undefined) {
      stream.closeRequest.reject(stream.storedError);
      stream.closeRequest = undefined;
    }
    if (stream.writer !== undefined) S.settleReject(stream.writer.closed, stream.storedError);
  }
  function wsUpdateBackpressure(stream, backpressure) {
    const writer = stream.writer;
    if (writer !== undefined && backpressure !== stream.backpressure) {
      if (backpressure) writer.ready = S.deferred();
      else S.settleResolve(writer.ready, undefined);
    }
    stream.backpressure = backpressure;
  }
  B.assign(S, { wsIsLocked, wsAbort, wsClose, wsCloseQueuedOrInFlight });

  // --- the writer (§5.6) ---
  function setUpWriter(writer, stream) {
    if (wsIsLocked(stream)) throw new TypeErrorCtor("WritableStream is locked to a writer");
    writer.stream = stream;
    stream.writer = writer;
    const state = stream.state;
    if (state === "writable") {
      writer.ready = !wsCloseQueuedOrInFlight(stream) && stream.backpressure ? S.deferred() : S.deferredResolved(undefined);
      writer.closed = S.deferred();
    } else if (state === "erroring") {
      writer.ready = S.deferredRejected(stream.storedError);
      writer.closed = S.deferred();
    } else if (state === "closed") {
      writer.ready = S.deferredResolved(undefined);
      writer.closed = S.deferredResolved(undefined);
    } else {
      writer.ready = S.deferredRejected(stream.storedError);
      writer.closed = S.deferredRejected(stream.storedError);
    }
  }
  S.acquireWriter = function (stream) {
    const writer = record("Writer");
    setUpWriter(writer, stream);
    S.wrap(WritableStreamDefaultWriter.prototype, writer);
    return writer;
  };
  function writerEnsureClosedPromiseRejected(writer, error) {
    if (writer.closed.state === "pending") S.settleReject(writer.closed, error);
    else writer.closed = S.deferredRejected(error);
  }
  function writerEnsureReadyPromiseRejected(writer, error) {
    if (writer.ready.state === "pending") S.settleReject(writer.ready, error);
    else writer.ready = S.deferredRejected(error);
  }
  function writerGetDesiredSize(writer) {
    const state = writer.stream.state;
    if (state === "errored" || state === "erroring") return null;
    if (state === "closed") return 0;
    const c = writer.stream.controller;
    return c.strategyHWM - c.queueTotalSize;
  }
  function writerRelease(writer) {
    const stream = writer.stream;
    const releasedError = new TypeErrorCtor("the writer's lock was released");
    writerEnsureReadyPromiseRejected(writer, releasedError);
    writerEnsureClosedPromiseRejected(writer, releasedError);
    stream.writer = undefined;
    writer.stream = undefined;
  }
  function writerWrite(writer, chunk) {
    const stream = writer.stream;
    const c = stream.controller;
    const chunkSize = wsdcGetChunkSize(c, chunk);
    if (stream !== writer.stream) return S.rejected(new TypeErrorCtor("the writer's lock was released"));
    const state = stream.state;
    if (state === "errored") return S.rejected(stream.storedError);
    if (wsCloseQueuedOrInFlight(stream) || state === "closed") {
      return S.rejected(new TypeErrorCtor("cannot write to a WritableStream that is closing or closed"));
    }
    if (state === "erroring") return S.rejected(stream.storedError);
    const promise = wsAddWriteRequest(stream);
    wsdcWrite(c, chunk, chunkSize);
    return promise;
  }
  S.writerCloseWithErrorPropagation = function (writer) {
    const stream = writer.stream;
    const state = stream.state;
    if (wsCloseQueuedOrInFlight(stream) || state === "closed") return S.resolved(undefined);
    if (state === "errored") return S.rejected(stream.storedError);
    return wsClose(stream);
  };
  S.writerRelease = writerRelease;
  S.writerWrite = writerWrite;

  // --- the controller (§5.7, §5.8) ---
  function newController() {
    return S.make("WritableController", WritableStreamDefaultController.prototype);
  }
  function setUpController(stream, c, start, write, close, abort, highWaterMark, sizeAlgorithm) {
    c.stream = stream;
    stream.controller = c;
    S.resetQueue(c);
    c.abortController = undefined;
    c.aborted = false;
    c.abortReason = undefined;
    c.started = false;
    c.strategySizeAlgorithm = sizeAlgorithm;
    c.strategyHWM = highWaterMark;
    c.writeAlgorithm = write;
    c.closeAlgorithm = close;
    c.abortAlgorithm = abort;
    wsUpdateBackpressure(stream, wsdcGetBackpressure(c));
    S.upon(S.resolved(start()), () => {
      c.started = true;
      wsdcAdvanceQueueIfNeeded(c);
    }, (r) => {
      c.started = true;
      wsDealWithRejection(stream, r);
    });
  }
  function wsdcSignalAbort(c, reason) {
    if (c.aborted) return;
    c.aborted = true;
    c.abortReason = reason;
    if (c.abortController !== undefined) c.abortController.abort(reason);
  }
  function wsdcSignal(c) {
    if (c.abortController === undefined) {
      c.abortController = new (S.internal("AbortController"))();
      if (c.aborted) c.abortController.abort(c.abortReason);
    }
    return c.abortController.signal;
  }
  function wsdcAdvanceQueueIfNeeded(c) {
    const stream = c.stream;
    if (!c.started || stream.inFlightWriteRequest !== undefined) return;
    const state = stream.state;
    if (state === "closed" || state === "errored") return;
    if (state === "erroring") {
      wsFinishErroring(stream);
      return;
    }
    if (c.queue.length === 0) return;
    const value = S.peekQueueValue(c);
    if (value === closeSentinel) wsdcProcessClose(c);
    else wsdcProcessWrite(c, value);
  }
  function wsdcClearAlgorithms(c) {
    c.writeAlgorithm = c.closeAlgorithm = c.abortAlgorithm = c.strategySizeAlgorithm = undefined;
  }
  function wsdcClose(c) {
    S.enqueueValueWithSize(c, closeSentinel, 0);
    wsdcAdvanceQueueIfNeeded(c);
  }
  function wsdcErrorIfNeeded(c, error) {
    if (c.stream.state === "writable") wsdcError(c, error);
  }
  function wsdcGetBackpressure(c) { return c.strategyHWM - c.queueTotalSize <= 0; }
  function wsdcGetChunkSize(c, chunk) {
    if (c.strategySizeAlgorithm === undefined) return 1;
    try {
      return c.strategySizeAlgorithm(chunk);
    } catch (e) {
      wsdcErrorIfNeeded(c, e);
      return 1;
    }
  }
  function wsdcProcessClose(c) {
    const stream = c.stream;
    stream.inFlightCloseRequest = stream.closeRequest;
    stream.closeRequest = undefined;
    S.dequeueValue(c);
    const sinkClosePromise = c.closeAlgorithm();
    wsdcClearAlgorithms(c);
    S.upon(sinkClosePromise, () => wsFinishInFlightClose(stream),
      (reason) => wsFinishInFlightCloseWithError(stream, reason));
  }
  function wsdcProcessWrite(c, chunk) {
    const stream = c.stream;
    stream.inFlightWriteRequest = stream.writeRequests.shift();
    S.upon(c.writeAlgorithm(chunk), () => {
      wsFinishInFlightWrite(stream);
      S.dequeueValue(c);
      if (!wsCloseQueuedOrInFlight(stream) && stream.state === "writable") {
        wsUpdateBackpressure(stream, wsdcGetBackpressure(c));
      }
      wsdcAdvanceQueueIfNeeded(c);
    }, (reason) => {
      if (stream.state === "writable") wsdcClearAlgorithms(c);
      wsFinishInFlightWriteWithError(stream, reason);
    });
  }
  function wsdcWrite(c, chunk, chunkSize) {
    try {
      S.enqueueValueWithSize(c, chunk, chunkSize);
    } catch (e) {
      wsdcErrorIfNeeded(c, e);
      return;
    }
    const stream = c.stream;
    if (!wsCloseQueuedOrInFlight(stream) && stream.state === "writable") {
      wsUpdateBackpressure(stream, wsdcGetBackpressure(c));
    }
    wsdcAdvanceQueueIfNeeded(c);
  }
  function wsdcError(c, error) {
    wsdcClearAlgorithms(c);
    wsStartErroring(c.stream, error);
  }
  S.wsdcErrorIfNeeded = wsdcErrorIfNeeded;

  function setUpFromUnderlyingSink(stream, sink, highWaterMark, sizeAlgorithm) {
    const c = newController();
    const abort = S.callback(sink, "abort", "underlying sink");
    const close = S.callback(sink, "close", "underlying sink");
    const start = S.callback(sink, "start", "underlying sink");
    const type = sink === undefined ? undefined : sink.type;
    const write = S.callback(sink, "write", "underlying sink");
    if (type !== undefined) throw new RangeErrorCtor("WritableStream: the underlying sink's type must be undefined");
    setUpController(stream, c,
      () => (start === undefined ? undefined : apply(start, sink, [c.wrapper])),
      (chunk) => (write === undefined ? S.resolved(undefined) : S.promiseFrom(write, sink, [chunk, c.wrapper])),
      () => (close === undefined ? S.resolved(undefined) : S.promiseFrom(close, sink, [])),
      (reason) => (abort === undefined ? S.resolved(undefined) : S.promiseFrom(abort, sink, [reason])),
      highWaterMark, sizeAlgorithm);
  }

  function rejectIfNot(value, kind, cls, member) {
    const r = S.slotOf(value, kind);
    return r === undefined ? S.rejected(S.brandError(cls, member)) : r;
  }
  class WritableStream {
    constructor(underlyingSink = undefined, strategy = undefined) {
      const sink = S.optionalObject(underlyingSink, "WritableStream: the underlying sink");
      const strategyDict = S.strategyDict(strategy, "WritableStream");
      const stream = record("WritableStream");
      this[S.SLOT] = stream;
      stream.wrapper = this;
      initializeWritableStream(stream);
      const sizeAlgorithm = S.extractSizeAlgorithm(strategyDict);
      const hwm = S.extractHighWaterMark(strategyDict, 1);
      setUpFromUnderlyingSink(stream, sink, hwm, sizeAlgorithm);
    }
    get locked() { return wsIsLocked(slot(this, "WritableStream", "WritableStream", "locked")); }
    abort(reason = undefined) {
      const stream = rejectIfNot(this, "WritableStream", "WritableStream", "abort");
      if (S.isPromise(stream)) return stream;
      if (wsIsLocked(stream)) return S.rejected(new TypeErrorCtor("cannot abort a locked WritableStream"));
      return wsAbort(stream, reason);
    }
    close() {
      const stream = rejectIfNot(this, "WritableStream", "WritableStream", "close");
      if (S.isPromise(stream)) return stream;
      if (wsIsLocked(stream)) return S.rejected(new TypeErrorCtor("cannot close a locked WritableStream"));
      if (wsCloseQueuedOrInFlight(stream)) return S.rejected(new TypeErrorCtor("the WritableStream is already closing"));
      return wsClose(stream);
    }
    getWriter() { return S.acquireWriter(slot(this, "WritableStream", "WritableStream", "getWriter")).wrapper; }
  }

  function liveWriter(value, member) {
    const writer = rejectIfNot(value, "Writer", "WritableStreamDefaultWriter", member);
    if (S.isPromise(writer)) return writer;
    if (writer.stream === undefined) return S.rejected(new TypeErrorCtor("the writer's lock was released"));
    return writer;
  }
  class WritableStreamDefaultWriter {
    constructor(stream) {
      const writer = record("Writer");
      setUpWriter(writer, slot(stream, "WritableStream", "WritableStreamDefaultWriter", "constructor"));
      this[S.SLOT] = writer;
      writer.wrapper = this;
    }
    get closed() {
      const writer = rejectIfNot(this, "Writer", "WritableStreamDefaultWriter", "closed");
      return S.isPromise(writer) ? writer : writer.closed.promise;
    }
    get desiredSize() {
      const writer = slot(this, "Writer", "WritableStreamDefaultWriter", "desiredSize");
      if (writer.stream === undefined) throw new TypeErrorCtor("the writer's lock was released");
      return writerGetDesiredSize(writer);
    }
    get ready() {
      const writer = rejectIfNot(this, "Writer", "WritableStreamDefaultWriter", "ready");
      return S.isPromise(writer) ? writer : writer.ready.promise;
    }
    abort(reason = undefined) {
      const writer = liveWriter(this, "abort");
      return S.isPromise(writer) ? writer : wsAbort(writer.stream, reason);
    }
    close() {
      const writer = liveWriter(this, "close");
      if (S.isPromise(writer)) return writer;
      if (wsCloseQueuedOrInFlight(writer.stream)) return S.rejected(new TypeErrorCtor("the WritableStream is already closing"));
      return wsClose(writer.stream);
    }
    releaseLock() {
      const writer = slot(this, "Writer", "WritableStreamDefaultWriter", "releaseLock");
      if (writer.stream !== undefined) writerRelease(writer);
    }
    write(chunk = undefined) {
      const writer = liveWriter(this, "write");
      return S.isPromise(writer) ? writer : writerWrite(writer, chunk);
    }
  }

  class WritableStreamDefaultController {
    constructor() { throw S.illegalConstructor("WritableStreamDefaultController"); }
    get signal() { return wsdcSignal(slot(this, "WritableController", "WritableStreamDefaultController", "signal")); }
    error(e = undefined) {
      const c = slot(this, "WritableController", "WritableStreamDefaultController", "error");
      if (c.stream.state === "writable") wsdcError(c, e);
    }
  }

  S.idlClass(WritableStream, "WritableStream");
  S.idlClass(WritableStreamDefaultWriter, "WritableStreamDefaultWriter");
  S.idlClass(WritableStreamDefaultController, "WritableStreamDefaultController");
  S.defineGlobal("WritableStream", WritableStream);
  S.defineGlobal("WritableStreamDefaultWriter", WritableStreamDefaultWriter);
  S.defineGlobal("WritableStreamDefaultController", WritableStreamDefaultController);
})
