// TransformStream and TransformStreamDefaultController (Streams Standard §6). ts* = the
// stream's abstract operations, tsdc* = the controller's. `S.createTransformStream` is the
// glue's own constructor (TextEncoderStream, CompressionStream): it takes algorithms, not a
// user transformer, so nothing a handler replaced runs inside it.
(function (hooks, S, B) {
  "use strict";
  const { TypeError: TypeErrorCtor, RangeError: RangeErrorCtor, apply } = S, objectCreate = B.create;

  const record = S.record, slot = S.slot;
  function initializeTransformStream(stream, startPromise, writableHWM, writableSize, readableHWM, readableSize) {
    const start = () => startPromise;
    stream.writable = S.createWritableStream(start,
      (chunk) => tsSinkWriteAlgorithm(stream, chunk),
      () => tsSinkCloseAlgorithm(stream),
      (reason) => tsSinkAbortAlgorithm(stream, reason),
      writableHWM, writableSize);
    stream.readable = S.createReadableStream(start,
      () => tsSourcePullAlgorithm(stream),
      (reason) => tsSourceCancelAlgorithm(stream, reason),
      readableHWM, readableSize);
    stream.backpressure = undefined;
    stream.backpressureChangePromise = undefined;
    tsSetBackpressure(stream, true);
    stream.controller = undefined;
  }
  function tsError(stream, e) {
    S.rsdcError(stream.readable.controller, e);
    tsErrorWritableAndUnblockWrite(stream, e);
  }
  function tsErrorWritableAndUnblockWrite(stream, e) {
    tsdcClearAlgorithms(stream.controller);
    S.wsdcErrorIfNeeded(stream.writable.controller, e);
    tsUnblockWrite(stream);
  }
  function tsUnblockWrite(stream) { if (stream.backpressure) tsSetBackpressure(stream, false); }
  function tsSetBackpressure(stream, backpressure) {
    if (stream.backpressureChangePromise !== undefined) stream.backpressureChangePromise.resolve(undefined);
    stream.backpressureChangePromise = S.newPromise();
    stream.backpressure = backpressure;
  }

  // --- the controller (§6.3) ---
  function setUpController(stream, c, transform, flush, cancel) {
    c.stream = stream;
    stream.controller = c;
    c.transformAlgorithm = transform;
    c.flushAlgorithm = flush;
    c.cancelAlgorithm = cancel;
    c.finishPromise = undefined;
  }
  function newController() {
    return S.make("TransformController", TransformStreamDefaultController.prototype);
  }
  function tsdcClearAlgorithms(c) {
    c.transformAlgorithm = c.flushAlgorithm = c.cancelAlgorithm = undefined;
  }
  function tsdcEnqueue(c, chunk) {
    const stream = c.stream;
    const readableController = stream.readable.controller;
    if (!S.rsdcCanCloseOrEnqueue(readableController)) {
      throw new TypeErrorCtor("TransformStream: the readable side is closed or errored");
    }
    try {
      S.rsdcEnqueue(readableController, chunk);
    } catch (e) {
      tsErrorWritableAndUnblockWrite(stream, e);
      throw stream.readable.storedError;
    }
    const backpressure = S.rsdcHasBackpressure(readableController);
    if (backpressure !== stream.backpressure) tsSetBackpressure(stream, true);
  }
  function tsdcPerformTransform(c, chunk) {
    return S.chain(c.transformAlgorithm(chunk), undefined, (r) => {
      tsError(c.stream, r);
      throw r;
    });
  }
  function tsdcTerminate(c) {
    const stream = c.stream;
    S.rsdcClose(stream.readable.controller);
    tsErrorWritableAndUnblockWrite(stream, new TypeErrorCtor("the TransformStream was terminated"));
  }
  S.tsdcEnqueue = tsdcEnqueue;
  S.tsdcTerminate = tsdcTerminate;
  S.tsError = tsError;

  // --- the sink and source algorithms (§6.4, §6.5) ---
  function tsSinkWriteAlgorithm(stream, chunk) {
    const c = stream.controller;
    if (!stream.backpressure) return tsdcPerformTransform(c, chunk);
    return S.chain(stream.backpressureChangePromise.promise, () => {
      const writable = stream.writable;
      if (writable.state === "erroring") throw writable.storedError;
      return tsdcPerformTransform(c, chunk);
    });
  }
  // The shared shape of the abort/close/cancel steps: run `algorithm` once, then settle.
  function finishOnce(c, algorithm, onDone, onFailed) {
    if (c.finishPromise !== undefined) return c.finishPromise.promise;
    const finish = S.newPromise();
    c.finishPromise = finish;
    const promise = algorithm();
    tsdcClearAlgorithms(c);
    S.upon(promise, () => onDone(finish), (r) => {
      onFailed(r);
      finish.reject(r);
    });
    return finish.promise;
  }
  function tsSinkAbortAlgorithm(stream, reason) {
    const c = stream.controller, readable = stream.readable;
    const cancel = c.cancelAlgorithm;
    return finishOnce(c, () => cancel(reason), (finish) => {
      if (readable.state === "errored") {
        finish.reject(readable.storedError);
      } else {
        S.rsdcError(readable.controller, reason);
        finish.resolve(undefined);
      }
    }, (r) => S.rsdcError(readable.controller, r));
  }
  function tsSinkCloseAlgorithm(stream) {
    const c = stream.controller, readable = stream.readable;
    const flush = c.flushAlgorithm;
    return finishOnce(c, () => flush(), (finish) => {
      if (readable.state === "errored") {
        finish.reject(readable.storedError);
      } else {
        S.rsdcClose(readable.controller);
        finish.resolve(undefined);
      }
    }, (r) => S.rsdcError(readable.controller, r));
  }
  function tsSourcePullAlgorithm(stream) {
    tsSetBackpressure(stream, false);
    return stream.backpressureChangePromise.promise;
  }
  function tsSourceCancelAlgorithm(stream, reason) {
    const c = stream.controller, writable = stream.writable;
    const cancel = c.cancelAlgorithm;
    return finishOnce(c, () => cancel(reason), (finish) => {
      if (writable.state === "errored") {
        finish.reject(writable.storedError);
      } else {
        S.wsdcErrorIfNeeded(writable.controller, reason);
        tsUnblockWrite(stream);
        finish.resolve(undefined);
      }
    }, (r) => {
      S.wsdcErrorIfNeeded(writable.controller, r);
      tsUnblockWrite(stream);
    });
  }

  // The glue's TransformStream: transform(chunk, c) / flush(c) / cancel(reason) may throw or
  // return a promise; they get the controller record (use S.tsdcEnqueue on it).
  S.createTransformStream = function (transform, flush, cancel, writableHWM = 1, readableHWM = 0) {
    const stream = record("TransformStream");
    S.wrap(TransformStream.prototype, stream);
    initializeTransformStream(stream, S.resolved(undefined), writableHWM, () => 1, readableHWM, () => 1);
    const c = newController();
    setUpController(stream, c,
      (chunk) => S.promiseFrom(transform, undefined, [chunk, c]),
      () => (flush === undefined ? S.resolved(undefined) : S.promiseFrom(flush, undefined, [c])),
      (reason) => (cancel === undefined ? S.resolved(undefined) : S.promiseFrom(cancel, undefined, [reason])));
    return stream;
  };

  function transformerDict(transformer) {
    const dict = objectCreate(null);
    dict.cancel = S.callback(transformer, "cancel", "transformer");
    dict.flush = S.callback(transformer, "flush", "transformer");
    dict.readableType = transformer === undefined ? undefined : transformer.readableType;
    dict.start = S.callback(transformer, "start", "transformer");
    dict.transform = S.callback(transformer, "transform", "transformer");
    dict.writableType = transformer === undefined ? undefined : transformer.writableType;
    return dict;
  }
  function setUpFromTransformer(stream, transformer, dict) {
    const c = newController();
    const { transform, flush, cancel } = dict;
    setUpController(stream, c,
      transform === undefined
        ? (chunk) => {
          try {
            tsdcEnqueue(c, chunk);
            return S.resolved(undefined);
          } catch (e) {
            return S.rejected(e);
          }
        }
        : (chunk) => S.promiseFrom(transform, transformer, [chunk, c.wrapper]),
      () => (flush === undefined ? S.resolved(undefined) : S.promiseFrom(flush, transformer, [c.wrapper])),
      (reason) => (cancel === undefined ? S.resolved(undefined) : S.promiseFrom(cancel, transformer, [reason])));
  }

  class TransformStream {
    constructor(transformer = undefined, writableStrategy = undefined, readableStrategy = undefined) {
      const t = S.optionalObject(transformer, "TransformStream: the transformer");
      const dict = transformerDict(t);
      const writableDict = S.strategyDict(writableStrategy, "TransformStream");
      const readableDict = S.strategyDict(readableStrategy, "TransformStream");
      if (dict.readableType !== undefined) throw new RangeErrorCtor("TransformStream: readableType must be undefined");
      if (dict.writableType !== undefined) throw new RangeErrorCtor("TransformStream: writableType must be undefined");
      const readableHWM = S.extractHighWaterMark(readableDict, 0);
      const readableSize = S.extractSizeAlgorithm(readableDict);
      const writableHWM = S.extractHighWaterMark(writableDict, 1);
      const writableSize = S.extractSizeAlgorithm(writableDict);
      const stream = record("TransformStream");
      this[S.SLOT] = stream;
      stream.wrapper = this;
      const startPromise = S.newPromise();
      initializeTransformStream(stream, startPromise.promise, writableHWM, writableSize, readableHWM, readableSize);
      setUpFromTransformer(stream, t, dict);
      if (dict.start !== undefined) startPromise.resolve(apply(dict.start, t, [stream.controller.wrapper]));
      else startPromise.resolve(undefined);
    }
    get readable() { return slot(this, "TransformStream", "TransformStream", "readable").readable.wrapper; }
    get writable() { return slot(this, "TransformStream", "TransformStream", "writable").writable.wrapper; }
  }

  class TransformStreamDefaultController {
    constructor() { throw S.illegalConstructor("TransformStreamDefaultController"); }
    get desiredSize() {
      const c = slot(this, "TransformController", "TransformStreamDefaultController", "desiredSize");
      return S.rsdcGetDesiredSize(c.stream.readable.controller);
    }
    enqueue(chunk = undefined) {
      tsdcEnqueue(slot(this, "TransformController", "TransformStreamDefaultController", "enqueue"), chunk);
    }
    error(reason = undefined) {
      tsError(slot(this, "TransformController", "TransformStreamDefaultController", "error").stream, reason);
    }
    terminate() { tsdcTerminate(slot(this, "TransformController", "TransformStreamDefaultController", "terminate")); }
  }

  S.idlClass(TransformStream, "TransformStream");
  S.idlClass(TransformStreamDefaultController, "TransformStreamDefaultController");
  S.defineGlobal("TransformStream", TransformStream);
  S.defineGlobal("TransformStreamDefaultController", TransformStreamDefaultController);
})
