// ReadableStream, ReadableStreamDefaultController and ReadableStreamDefaultReader (Streams
// Standard §4). Each public object holds its internal record under the SLOT symbol; the
// algorithms (named as the spec's, in camelCase: rs* = ReadableStream*, rsdc* = its default
// controller, rsdr* = the default reader) work on the records, so the glue never calls a
// method a handler could have replaced. Byte streams live in 32-streams-bytes.js, pipeTo/tee/
// from/async iteration in 33-streams-pipe.js; they meet through `hooks.streams` (S).
(function (hooks, S, B) {
  "use strict";
  const { TypeError: TypeErrorCtor, RangeError: RangeErrorCtor, apply } = S, objectCreate = B.create;
  const SLOT = S.SLOT, record = S.record, slotOf = S.slotOf, wrap = S.wrap;

  // --- the stream (§4.9) ---
  function initializeReadableStream(stream) {
    stream.state = "readable";
    stream.reader = undefined;
    stream.storedError = undefined;
    stream.disturbed = false;
  }
  function isLocked(stream) { return stream.reader !== undefined; }
  S.rsIsLocked = isLocked;
  S.newReadableStreamRecord = function () {
    const stream = record("ReadableStream");
    initializeReadableStream(stream);
    wrap(ReadableStream.prototype, stream);
    return stream;
  };
  // CreateReadableStream: a stream whose source is the glue's own algorithms.
  S.createReadableStream = function (start, pull, cancel, highWaterMark = 1, sizeAlgorithm = () => 1) {
    const stream = S.newReadableStreamRecord();
    setUpDefaultController(stream, newDefaultController(), start, pull, cancel, highWaterMark, sizeAlgorithm);
    return stream;
  };
  function rsCancel(stream, reason) {
    stream.disturbed = true;
    if (stream.state === "closed") return S.resolved(undefined);
    if (stream.state === "errored") return S.rejected(stream.storedError);
    rsClose(stream);
    const reader = stream.reader;
    if (reader !== undefined && reader.kind === "BYOBReader") {
      const requests = reader.readIntoRequests;
      reader.readIntoRequests = new S.Queue();
      while (requests.length > 0) requests.shift().closeSteps(undefined);
    }
    const sourceCancelPromise = stream.controller.cancelSteps(reason);
    return S.chain(sourceCancelPromise, () => undefined);
  }
  function rsClose(stream) {
    stream.state = "closed";
    const reader = stream.reader;
    if (reader === undefined) return;
    S.settleResolve(reader.closed, undefined);
    if (reader.kind === "DefaultReader") {
      const requests = reader.readRequests;
      reader.readRequests = new S.Queue();
      while (requests.length > 0) requests.shift().closeSteps();
    }
  }
  function rsError(stream, e) {
    stream.state = "errored";
    stream.storedError = e;
    const reader = stream.reader;
    if (reader === undefined) return;
    S.settleReject(reader.closed, e);
    if (reader.kind === "DefaultReader") rsdrErrorReadRequests(reader, e);
    else S.byobReaderErrorReadIntoRequests(reader, e);
  }
  function rsAddReadRequest(stream, readRequest) { stream.reader.readRequests.push(readRequest); }
  function rsFulfillReadRequest(stream, chunk, done) {
    const readRequest = stream.reader.readRequests.shift();
    if (done) readRequest.closeSteps();
    else readRequest.chunkSteps(chunk);
  }
  function rsGetNumReadRequests(stream) { return stream.reader.readRequests.length; }
  function rsHasDefaultReader(stream) {
    return stream.reader !== undefined && stream.reader.kind === "DefaultReader";
  }
  B.assign(S, { rsCancel, rsClose, rsError, rsAddReadRequest, rsFulfillReadRequest,
    rsGetNumReadRequests, rsHasDefaultReader });

  // --- readers, generic (§4.3) and default (§4.4) ---
  function readerGenericInitialize(reader, stream) {
    reader.stream = stream;
    stream.reader = reader;
    if (stream.state === "readable") reader.closed = S.deferred();
    else if (stream.state === "closed") reader.closed = S.deferredResolved(undefined);
    else reader.closed = S.deferredRejected(stream.storedError);
  }
  function readerGenericRelease(reader) {
    const stream = reader.stream;
    const error = new TypeErrorCtor("the reader's lock was released");
    if (stream.state === "readable") S.settleReject(reader.closed, error);
    else reader.closed = S.deferredRejected(error);
    stream.controller.releaseSteps();
    stream.reader = undefined;
    reader.stream = undefined;
  }
  function readerGenericCancel(reader, reason) { return rsCancel(reader.stream, reason); }
  S.readerGenericInitialize = readerGenericInitialize;
  S.readerGenericRelease = readerGenericRelease;
  S.readerGenericCancel = readerGenericCancel;

  function setUpDefaultReader(reader, stream) {
    if (isLocked(stream)) throw new TypeErrorCtor("ReadableStream is locked to a reader");
    readerGenericInitialize(reader, stream);
    reader.readRequests = new S.Queue();
  }
  function acquireDefaultReader(stream) {
    const reader = record("DefaultReader");
    setUpDefaultReader(reader, stream);
    wrap(ReadableStreamDefaultReader.prototype, reader);
    return reader;
  }
  function rsdrRead(reader, readRequest) {
    const stream = reader.stream;
    stream.disturbed = true;
    if (stream.state === "closed") readRequest.closeSteps();
    else if (stream.state === "errored") readRequest.errorSteps(stream.storedError);
    else stream.controller.pullSteps(readRequest);
  }
  function rsdrRelease(reader) {
    readerGenericRelease(reader);
    rsdrErrorReadRequests(reader, new TypeErrorCtor("the reader's lock was released"));
  }
  function rsdrErrorReadRequests(reader, e) {
    const requests = reader.readRequests;
    reader.readRequests = new S.Queue();
    while (requests.length > 0) requests.shift().errorSteps(e);
  }
  // A read request that settles a promise with an iterator result (the public read()).
  function promiseReadRequest(d) {
    const request = objectCreate(null);
    request.chunkSteps = (chunk) => d.resolve({ value: chunk, done: false });
    request.closeSteps = (chunk) => d.resolve({ value: chunk, done: true });
    request.errorSteps = (e) => d.reject(e);
    return request;
  }
  S.acquireDefaultReader = acquireDefaultReader;
  S.rsdrRead = rsdrRead;
  S.rsdrRelease = rsdrRelease;
  S.promiseReadRequest = promiseReadRequest;

  // --- the default controller (§4.6, §4.7) ---
  function newDefaultController() {
    const c = record("DefaultController");
    wrap(ReadableStreamDefaultController.prototype, c);
    c.cancelSteps = (reason) => {
      S.resetQueue(c);
      const result = c.cancelAlgorithm(reason);
      rsdcClearAlgorithms(c);
      return result;
    };
    c.pullSteps = (readRequest) => rsdcPullSteps(c, readRequest);
    c.releaseSteps = S.noop;
    return c;
  }
  function setUpDefaultController(stream, c, start, pull, cancel, highWaterMark, sizeAlgorithm) {
    c.stream = stream;
    S.resetQueue(c);
    c.started = c.closeRequested = c.pullAgain = c.pulling = false;
    c.strategySizeAlgorithm = sizeAlgorithm;
    c.strategyHWM = highWaterMark;
    c.pullAlgorithm = pull;
    c.cancelAlgorithm = cancel;
    stream.controller = c;
    const startPromise = S.resolved(start());
    S.upon(startPromise, () => {
      c.started = true;
      rsdcCallPullIfNeeded(c);
    }, (r) => rsdcError(c, r));
  }
  S.setUpDefaultController = setUpDefaultController;
  S.newDefaultController = newDefaultController;
  function rsdcPullSteps(c, readRequest) {
    const stream = c.stream;
    if (c.queue.length > 0) {
      const chunk = S.dequeueValue(c);
      if (c.closeRequested && c.queue.length === 0) {
        rsdcClearAlgorithms(c);
        rsClose(stream);
      } else {
        rsdcCallPullIfNeeded(c);
      }
      readRequest.chunkSteps(chunk);
    } else {
      rsAddReadRequest(stream, readRequest);
      rsdcCallPullIfNeeded(c);
    }
  }
  function rsdcCallPullIfNeeded(c) { S.callPullIfNeeded(c, rsdcShouldCallPull, rsdcError); }
  function rsdcShouldCallPull(c) {
    const stream = c.stream;
    if (!rsdcCanCloseOrEnqueue(c) || !c.started) return false;
    if (isLocked(stream) && rsGetNumReadRequests(stream) > 0) return true;
    return rsdcGetDesiredSize(c) > 0;
  }
  function rsdcClearAlgorithms(c) {
    c.pullAlgorithm = undefined;
    c.cancelAlgorithm = undefined;
    c.strategySizeAlgorithm = undefined;
  }
  function rsdcClose(c) {
    if (!rsdcCanCloseOrEnqueue(c)) return;
    c.closeRequested = true;
    if (c.queue.length === 0) {
      rsdcClearAlgorithms(c);
      rsClose(c.stream);
    }
  }
  function rsdcEnqueue(c, chunk) {
    if (!rsdcCanCloseOrEnqueue(c)) return;
    const stream = c.stream;
    if (isLocked(stream) && rsGetNumReadRequests(stream) > 0) {
      rsFulfillReadRequest(stream, chunk, false);
    } else {
      let chunkSize;
      try {
        chunkSize = c.strategySizeAlgorithm(chunk);
      } catch (e) {
        rsdcError(c, e);
        throw e;
      }
      try {
        S.enqueueValueWithSize(c, chunk, chunkSize);
      } catch (e) {
        rsdcError(c, e);
        throw e;
      }
    }
    rsdcCallPullIfNeeded(c);
  }
  function rsdcError(c, e) {
    if (c.stream.state !== "readable") return;
    S.resetQueue(c);
    rsdcClearAlgorithms(c);
    rsError(c.stream, e);
  }
  function rsdcGetDesiredSize(c) {
    const state = c.stream.state;
    if (state === "errored") return null;
    if (state === "closed") return 0;
    return c.strategyHWM - c.queueTotalSize;
  }
  function rsdcHasBackpressure(c) { return !rsdcShouldCallPull(c); }
  function rsdcCanCloseOrEnqueue(c) { return !c.closeRequested && c.stream.state === "readable"; }
  B.assign(S, { rsdcClose, rsdcEnqueue, rsdcError, rsdcGetDesiredSize, rsdcHasBackpressure,
    rsdcCanCloseOrEnqueue });

  function setUpFromUnderlyingSource(stream, source, dict, highWaterMark, sizeAlgorithm) {
    const c = newDefaultController();
    const { start, pull, cancel } = dict;
    setUpDefaultController(stream, c,
      () => (start === undefined ? undefined : apply(start, source, [c.wrapper])),
      () => (pull === undefined ? S.resolved(undefined) : S.promiseFrom(pull, source, [c.wrapper])),
      (reason) => (cancel === undefined ? S.resolved(undefined) : S.promiseFrom(cancel, source, [reason])),
      highWaterMark, sizeAlgorithm);
  }
  // The UnderlyingSource dictionary, members read in IDL (lexicographic) order.
  function underlyingSourceDict(source) {
    const dict = objectCreate(null);
    if (source === undefined) return dict;
    const chunkSize = source.autoAllocateChunkSize;
    if (chunkSize !== undefined) dict.autoAllocateChunkSize = S.enforceRange(chunkSize, "autoAllocateChunkSize");
    dict.cancel = S.callback(source, "cancel", "underlying source");
    dict.pull = S.callback(source, "pull", "underlying source");
    dict.start = S.callback(source, "start", "underlying source");
    const type = source.type;
    if (type !== undefined) {
      dict.type = `${type}`;
      if (dict.type !== "bytes") throw new TypeErrorCtor(`ReadableStream: type must be "bytes", not "${dict.type}"`);
    }
    return dict;
  }
  // [EnforceRange] unsigned long long.
  S.enforceRange = function (value, what) {
    const n = B.Number(value);
    if (!B.isFinite(n)) throw new TypeErrorCtor(what + " must be a finite number");
    const t = B.trunc(n);
    if (t < 0 || t > 9007199254740991) throw new TypeErrorCtor(what + " is out of range");
    return t === 0 ? 0 : t;
  };

  function streamOf(value, member) {
    const stream = slotOf(value, "ReadableStream");
    if (stream === undefined) throw S.brandError("ReadableStream", member);
    return stream;
  }
  S.streamOf = streamOf;
  class ReadableStream {
    constructor(underlyingSource = undefined, strategy = undefined) {
      const source = S.optionalObject(underlyingSource, "ReadableStream: the underlying source");
      const dict = underlyingSourceDict(source);
      const strategyDict = S.strategyDict(strategy, "ReadableStream");
      const stream = record("ReadableStream");
      this[SLOT] = stream;
      stream.wrapper = this;
      initializeReadableStream(stream);
      if (dict.type === "bytes") {
        if (strategyDict.size !== undefined) throw new RangeErrorCtor("a byte stream's strategy cannot have a size");
        const hwm = S.extractHighWaterMark(strategyDict, 0);
        S.setUpByteControllerFromUnderlyingSource(stream, source, dict, hwm);
      } else {
        const sizeAlgorithm = S.extractSizeAlgorithm(strategyDict);
        const hwm = S.extractHighWaterMark(strategyDict, 1);
        setUpFromUnderlyingSource(stream, source, dict, hwm, sizeAlgorithm);
      }
    }
    get locked() { return isLocked(streamOf(this, "locked")); }
    cancel(reason = undefined) {
      const stream = slotOf(this, "ReadableStream");
      if (stream === undefined) return S.rejected(S.brandError("ReadableStream", "cancel"));
      if (isLocked(stream)) return S.rejected(new TypeErrorCtor("cannot cancel a locked ReadableStream"));
      return rsCancel(stream, reason);
    }
    getReader(options = undefined) {
      const stream = streamOf(this, "getReader");
      const dict = S.requireObjectOrUndefined(options, "getReader: options");
      const mode = dict === undefined ? undefined : dict.mode;
      if (mode === undefined) return acquireDefaultReader(stream).wrapper;
      if (`${mode}` !== "byob") throw new TypeErrorCtor(`getReader: mode must be "byob", not "${mode}"`);
      return S.acquireBYOBReader(stream).wrapper;
    }
    pipeThrough(transform, options = undefined) { return S.pipeThrough(this, transform, options); }
    pipeTo(destination, options = undefined) { return S.pipeToPublic(this, destination, options); }
    tee() {
      const branches = S.rsTee(streamOf(this, "tee"), false);
      return [branches[0].wrapper, branches[1].wrapper];
    }
    values(options = undefined) { return S.asyncIterator(streamOf(this, "values"), options); }
    static from(asyncIterable) { return S.rsFromIterable(asyncIterable).wrapper; }
  }

  function readerOf(value, member) {
    const reader = slotOf(value, "DefaultReader");
    if (reader === undefined) throw S.brandError("ReadableStreamDefaultReader", member);
    return reader;
  }
  class ReadableStreamDefaultReader {
    constructor(stream) {
      const r = record("DefaultReader");
      setUpDefaultReader(r, streamOf(stream, "getReader"));
      this[SLOT] = r;
      r.wrapper = this;
    }
    get closed() {
      const reader = slotOf(this, "DefaultReader");
      if (reader === undefined) return S.rejected(S.brandError("ReadableStreamDefaultReader", "closed"));
      return reader.closed.promise;
    }
    cancel(reason = undefined) {
      const reader = slotOf(this, "DefaultReader");
      if (reader === undefined) return S.rejected(S.brandError("ReadableStreamDefaultReader", "cancel"));
      if (reader.stream === undefined) return S.rejected(new TypeErrorCtor("the reader has no stream (lock released)"));
      return readerGenericCancel(reader, reason);
    }
    read() {
      const reader = slotOf(this, "DefaultReader");
      if (reader === undefined) return S.rejected(S.brandError("ReadableStreamDefaultReader", "read"));
      if (reader.stream === undefined) return S.rejected(new TypeErrorCtor("the reader has no stream (lock released)"));
      const d = S.newPromise();
      rsdrRead(reader, promiseReadRequest(d));
      return d.promise;
    }
    releaseLock() {
      const reader = readerOf(this, "releaseLock");
      if (reader.stream !== undefined) rsdrRelease(reader);
    }
  }

  function controllerOf(value, member) {
    const c = slotOf(value, "DefaultController");
    if (c === undefined) throw S.brandError("ReadableStreamDefaultController", member);
    return c;
  }
  class ReadableStreamDefaultController {
    constructor() { throw S.illegalConstructor("ReadableStreamDefaultController"); }
    get desiredSize() { return rsdcGetDesiredSize(controllerOf(this, "desiredSize")); }
    close() {
      const c = controllerOf(this, "close");
      if (!rsdcCanCloseOrEnqueue(c)) throw new TypeErrorCtor("the stream is closed or closing");
      rsdcClose(c);
    }
    enqueue(chunk = undefined) {
      const c = controllerOf(this, "enqueue");
      if (!rsdcCanCloseOrEnqueue(c)) throw new TypeErrorCtor("cannot enqueue: the stream is closed or closing");
      rsdcEnqueue(c, chunk);
    }
    error(e = undefined) { rsdcError(controllerOf(this, "error"), e); }
  }

  S.idlClass(ReadableStream, "ReadableStream");
  S.idlClass(ReadableStreamDefaultReader, "ReadableStreamDefaultReader");
  S.idlClass(ReadableStreamDefaultController, "ReadableStreamDefaultController");
  S.defineProperty(ReadableStream.prototype, B.asyncIterator, {
    value: ReadableStream.prototype.values, writable: true, configurable: true,
  });
  S.ReadableStream = ReadableStream;
  S.defineGlobal("ReadableStream", ReadableStream);
  S.defineGlobal("ReadableStreamDefaultReader", ReadableStreamDefaultReader);
  S.defineGlobal("ReadableStreamDefaultController", ReadableStreamDefaultController);
})
