// The BYOB reader and the byte stream's public classes (Streams Standard §4.5, §4.6, §4.8):
// ReadableStreamBYOBReader, ReadableByteStreamController, ReadableStreamBYOBRequest, over the
// byte controller's operations in streams-bytes.js.
(function (hooks, S, B) {
  "use strict";
  const { TypeError: TypeErrorCtor, RangeError: RangeErrorCtor } = S;
  const record = S.record, slot = S.slot, viewInfo = S.viewInfo;
  const viewBuffer = (v) => v.buffer;
  const { rbcPullInto, rbcGetBYOBRequest, rbcGetDesiredSize, rbcClose, rbcEnqueue, rbcError, rbcRespond,
    rbcRespondWithNewView } = S;

  function setUpBYOBReader(reader, stream) {
    if (S.rsIsLocked(stream)) throw new TypeErrorCtor("ReadableStream is locked to a reader");
    if (stream.controller.kind !== "ByteController") {
      throw new TypeErrorCtor("a BYOB reader needs a byte stream (type: \"bytes\")");
    }
    S.readerGenericInitialize(reader, stream);
    reader.readIntoRequests = new S.Queue();
  }
  S.acquireBYOBReader = function (stream) {
    const reader = record("BYOBReader");
    setUpBYOBReader(reader, stream);
    S.wrap(ReadableStreamBYOBReader.prototype, reader);
    return reader;
  };
  S.byobReaderErrorReadIntoRequests = function (reader, e) {
    const requests = reader.readIntoRequests;
    reader.readIntoRequests = new S.Queue();
    while (requests.length > 0) requests.shift().errorSteps(e);
  };
  S.byobReaderRead = function (reader, view, min, readIntoRequest) {
    const stream = reader.stream;
    stream.disturbed = true;
    if (stream.state === "errored") readIntoRequest.errorSteps(stream.storedError);
    else rbcPullInto(stream.controller, view, min, readIntoRequest);
  };
  S.byobReaderRelease = function (reader) {
    S.readerGenericRelease(reader);
    S.byobReaderErrorReadIntoRequests(reader, new TypeErrorCtor("the reader's lock was released"));
  };

  function requireView(value, what) {
    if (!S.isView(value)) throw new TypeErrorCtor(what + " must be an ArrayBufferView");
    return value;
  }
  class ReadableStreamBYOBReader {
    constructor(stream) {
      const r = record("BYOBReader");
      setUpBYOBReader(r, S.streamOf(stream, "getReader"));
      this[S.SLOT] = r;
      r.wrapper = this;
    }
    get closed() {
      const reader = S.slotOf(this, "BYOBReader");
      if (reader === undefined) return S.rejected(S.brandError("ReadableStreamBYOBReader", "closed"));
      return reader.closed.promise;
    }
    cancel(reason = undefined) {
      const reader = S.slotOf(this, "BYOBReader");
      if (reader === undefined) return S.rejected(S.brandError("ReadableStreamBYOBReader", "cancel"));
      if (reader.stream === undefined) return S.rejected(new TypeErrorCtor("the reader has no stream (lock released)"));
      return S.readerGenericCancel(reader, reason);
    }
    read(view, options = undefined) {
      const reader = S.slotOf(this, "BYOBReader");
      try {
        if (reader === undefined) throw S.brandError("ReadableStreamBYOBReader", "read");
        requireView(view, "read(view)");
        const dict = S.requireObjectOrUndefined(options, "read: options");
        const min = dict === undefined || dict.min === undefined ? 1 : S.enforceRange(dict.min, "read: min");
        if (view.byteLength === 0) throw new TypeErrorCtor("read(view): the view is empty");
        if (S.byteLength(viewBuffer(view)) === 0) throw new TypeErrorCtor("read(view): the view's buffer is detached or empty");
        if (min === 0) throw new TypeErrorCtor("read: min must be greater than 0");
        if (min > viewInfo(view).length) throw new RangeErrorCtor("read: min is larger than the view");
        if (reader.stream === undefined) throw new TypeErrorCtor("the reader has no stream (lock released)");
        const d = S.newPromise();
        S.byobReaderRead(reader, view, min, S.promiseReadRequest(d));
        return d.promise;
      } catch (e) {
        return S.rejected(e);
      }
    }
    releaseLock() {
      const reader = slot(this, "BYOBReader", "ReadableStreamBYOBReader", "releaseLock");
      if (reader.stream !== undefined) S.byobReaderRelease(reader);
    }
  }

  class ReadableByteStreamController {
    constructor() { throw S.illegalConstructor("ReadableByteStreamController"); }
    get byobRequest() {
      const request = rbcGetBYOBRequest(slot(this, "ByteController", "ReadableByteStreamController", "byobRequest"));
      return request === null ? null : request.wrapper;
    }
    get desiredSize() {
      return rbcGetDesiredSize(slot(this, "ByteController", "ReadableByteStreamController", "desiredSize"));
    }
    close() {
      const c = slot(this, "ByteController", "ReadableByteStreamController", "close");
      if (c.closeRequested) throw new TypeErrorCtor("close: the stream is already closing");
      if (c.stream.state !== "readable") throw new TypeErrorCtor("close: the stream is not readable");
      rbcClose(c);
    }
    enqueue(chunk) {
      const c = slot(this, "ByteController", "ReadableByteStreamController", "enqueue");
      requireView(chunk, "enqueue(chunk)");
      if (chunk.byteLength === 0) throw new TypeErrorCtor("enqueue: the chunk is empty");
      if (S.byteLength(viewBuffer(chunk)) === 0) throw new TypeErrorCtor("enqueue: the chunk's buffer is detached or empty");
      if (c.closeRequested) throw new TypeErrorCtor("enqueue: the stream is closing");
      if (c.stream.state !== "readable") throw new TypeErrorCtor("enqueue: the stream is not readable");
      rbcEnqueue(c, chunk);
    }
    error(e = undefined) { rbcError(slot(this, "ByteController", "ReadableByteStreamController", "error"), e); }
  }

  class ReadableStreamBYOBRequest {
    constructor() { throw S.illegalConstructor("ReadableStreamBYOBRequest"); }
    get view() { return slot(this, "BYOBRequest", "ReadableStreamBYOBRequest", "view").view; }
    respond(bytesWritten) {
      const request = slot(this, "BYOBRequest", "ReadableStreamBYOBRequest", "respond");
      const n = S.enforceRange(bytesWritten, "respond: bytesWritten");
      if (request.controller === undefined) throw new TypeErrorCtor("respond: this request was already answered");
      if (S.isDetached(viewBuffer(request.view))) throw new TypeErrorCtor("respond: the view's buffer is detached");
      rbcRespond(request.controller, n);
    }
    respondWithNewView(view) {
      const request = slot(this, "BYOBRequest", "ReadableStreamBYOBRequest", "respondWithNewView");
      requireView(view, "respondWithNewView(view)");
      if (request.controller === undefined) throw new TypeErrorCtor("respondWithNewView: this request was already answered");
      if (S.isDetached(viewBuffer(view))) throw new TypeErrorCtor("respondWithNewView: the view's buffer is detached");
      rbcRespondWithNewView(request.controller, view);
    }
  }

  S.idlClass(ReadableStreamBYOBReader, "ReadableStreamBYOBReader");
  S.idlClass(ReadableByteStreamController, "ReadableByteStreamController");
  S.idlClass(ReadableStreamBYOBRequest, "ReadableStreamBYOBRequest");
  S.defineGlobal("ReadableStreamBYOBReader", ReadableStreamBYOBReader);
  S.defineGlobal("ReadableByteStreamController", ReadableByteStreamController);
  S.defineGlobal("ReadableStreamBYOBRequest", ReadableStreamBYOBRequest);
  S.ReadableByteStreamController = ReadableByteStreamController;
  S.ReadableStreamBYOBRequest = ReadableStreamBYOBRequest;
})
