// What stands on the readable core: pipeTo/pipeThrough (§4.9.6 ReadableStreamPipeTo),
// ReadableStream.from and async iteration (tee is in streams-tee.js). The pipe loop reads with
// internal read requests and the captured `then`, so a handler's Promise.prototype.then or
// Object.prototype.then never sees a chunk in flight (WPT piping/then-interception).
(function (hooks, S, B) {
  "use strict";
  const { TypeError: TypeErrorCtor, apply, queueTask } = S, objectCreate = B.create;
  const SymbolAsyncIterator = B.asyncIterator, SymbolIterator = B.iterator;

  // --- pipeTo (§4.9.6) ---
  function pipeOptions(options) {
    const dict = S.requireObjectOrUndefined(options, "pipeTo: options");
    const out = objectCreate(null);
    out.preventAbort = dict !== undefined && !!dict.preventAbort;
    out.preventCancel = dict !== undefined && !!dict.preventCancel;
    out.preventClose = dict !== undefined && !!dict.preventClose;
    const signal = dict === undefined ? undefined : dict.signal;
    if (signal !== undefined) {
      const ok = signal instanceof S.internal("AbortSignal");
      if (!ok) throw new TypeErrorCtor("pipeTo: options.signal must be an AbortSignal");
    }
    out.signal = signal;
    return out;
  }
  S.pipeToPublic = function (self, destination, options) {
    try {
      const source = S.slotOf(self, "ReadableStream");
      if (source === undefined) throw S.brandError("ReadableStream", "pipeTo");
      const dest = S.slotOf(destination, "WritableStream");
      if (dest === undefined) throw new TypeErrorCtor("pipeTo: the destination must be a WritableStream");
      const o = pipeOptions(options);
      if (S.rsIsLocked(source)) throw new TypeErrorCtor("pipeTo: the ReadableStream is locked");
      if (S.wsIsLocked(dest)) throw new TypeErrorCtor("pipeTo: the WritableStream is locked");
      return pipeTo(source, dest, o.preventClose, o.preventAbort, o.preventCancel, o.signal);
    } catch (e) {
      return S.rejected(e);
    }
  };
  S.pipeThrough = function (self, transform, options) {
    const source = S.streamOf(self, "pipeThrough");
    if (transform === null || (typeof transform !== "object" && typeof transform !== "function")) {
      throw new TypeErrorCtor("pipeThrough: the argument must be a {readable, writable} pair");
    }
    const readable = S.slotOf(transform.readable, "ReadableStream");
    if (readable === undefined) throw new TypeErrorCtor("pipeThrough: transform.readable must be a ReadableStream");
    const writable = S.slotOf(transform.writable, "WritableStream");
    if (writable === undefined) throw new TypeErrorCtor("pipeThrough: transform.writable must be a WritableStream");
    const o = pipeOptions(options);
    if (S.rsIsLocked(source)) throw new TypeErrorCtor("pipeThrough: the ReadableStream is locked");
    if (S.wsIsLocked(writable)) throw new TypeErrorCtor("pipeThrough: the WritableStream is locked");
    S.markHandled(pipeTo(source, writable, o.preventClose, o.preventAbort, o.preventCancel, o.signal));
    return readable.wrapper;
  };

  function pipeTo(source, dest, preventClose, preventAbort, preventCancel, signal) {
    const reader = S.acquireDefaultReader(source);
    const writer = S.acquireWriter(dest);
    source.disturbed = true;
    let shuttingDown = false;
    let currentWrite = S.resolved(undefined);
    const done = S.newPromise();
    let abortAlgorithm;

    function finalize(isError, error) {
      S.writerRelease(writer);
      S.rsdrRelease(reader);
      if (signal !== undefined) signal.removeEventListener("abort", abortAlgorithm);
      if (isError) done.reject(error);
      else done.resolve(undefined);
    }
    function waitForWritesToFinish(then) {
      const oldCurrentWrite = currentWrite;
      S.upon(currentWrite, () => (oldCurrentWrite !== currentWrite ? waitForWritesToFinish(then) : then()));
    }
    function destWritable() { return dest.state === "writable" && !S.wsCloseQueuedOrInFlight(dest); }
    function shutdownWithAnAction(action, originalIsError, originalError) {
      if (shuttingDown) return;
      shuttingDown = true;
      const doTheRest = () => S.upon(action(), () => finalize(originalIsError, originalError),
        (newError) => finalize(true, newError));
      if (destWritable()) waitForWritesToFinish(doTheRest);
      else doTheRest();
    }
    function shutdown(isError, error) {
      if (shuttingDown) return;
      shuttingDown = true;
      if (destWritable()) waitForWritesToFinish(() => finalize(isError, error));
      else finalize(isError, error);
    }
    function pipeStep() {
      if (shuttingDown) return;
      S.upon(writer.ready.promise, () => {
        if (shuttingDown) return;
        const request = objectCreate(null);
        request.chunkSteps = (chunk) => {
          currentWrite = S.chain(S.writerWrite(writer, chunk), undefined, S.noop);
          queueTask(pipeStep);
        };
        request.closeSteps = S.noop;
        request.errorSteps = S.noop;
        S.rsdrRead(reader, request);
      }, S.noop);
    }

    if (signal !== undefined) {
      abortAlgorithm = () => {
        const error = signal.reason;
        shutdownWithAnAction(() => {
          const all = allSettledAll();
          if (!preventAbort) all.add(dest.state === "writable" ? S.wsAbort(dest, error) : S.resolved(undefined));
          if (!preventCancel) all.add(source.state === "readable" ? S.rsCancel(source, error) : S.resolved(undefined));
          return all.done();
        }, true, error);
      };
      if (signal.aborted) {
        abortAlgorithm();
        return done.promise;
      }
      signal.addEventListener("abort", abortAlgorithm);
    }
    // Errors must be propagated forward, backward, then closing forward, then backward.
    isOrBecomesErrored(source, reader.closed.promise, (storedError) => {
      if (!preventAbort) shutdownWithAnAction(() => S.wsAbort(dest, storedError), true, storedError);
      else shutdown(true, storedError);
    });
    isOrBecomesErrored(dest, writer.closed.promise, (storedError) => {
      if (!preventCancel) shutdownWithAnAction(() => S.rsCancel(source, storedError), true, storedError);
      else shutdown(true, storedError);
    });
    isOrBecomesClosed(source, reader.closed.promise, () => {
      if (!preventClose) shutdownWithAnAction(() => S.writerCloseWithErrorPropagation(writer));
      else shutdown();
    });
    if (S.wsCloseQueuedOrInFlight(dest) || dest.state === "closed") {
      const destClosed = new TypeErrorCtor("the destination WritableStream closed before all data was piped to it");
      if (!preventCancel) shutdownWithAnAction(() => S.rsCancel(source, destClosed), true, destClosed);
      else shutdown(true, destClosed);
    }
    pipeStep();
    return done.promise;
  }
  function isOrBecomesErrored(stream, promise, action) {
    if (stream.state === "errored") action(stream.storedError);
    else S.upon(promise, undefined, action);
  }
  function isOrBecomesClosed(stream, promise, action) {
    if (stream.state === "closed") action();
    else S.upon(promise, action);
  }
  // Promise.all over glue promises without Promise.all or Array.prototype.map.
  function allSettledAll() {
    const d = S.newPromise();
    let pending = 1, failed = false;
    const settleOne = () => { if (--pending === 0 && !failed) d.resolve(undefined); };
    return {
      add(promise) {
        pending++;
        S.upon(promise, settleOne, (e) => { if (!failed) { failed = true; d.reject(e); } });
      },
      done() { settleOne(); return d.promise; },
    };
  }

  // --- ReadableStream.from (§4.9.x ReadableStreamFromIterable) ---
  function getAsyncIterator(value) {
    if (value === null || (typeof value !== "object" && typeof value !== "function")) {
      throw new TypeErrorCtor("ReadableStream.from: the argument must be an (async) iterable object");
    }
    const asyncMethod = value[SymbolAsyncIterator];
    if (asyncMethod !== undefined && asyncMethod !== null) {
      if (typeof asyncMethod !== "function") throw new TypeErrorCtor("ReadableStream.from: B.asyncIterator is not a function");
      const iterator = apply(asyncMethod, value, []);
      if (iterator === null || (typeof iterator !== "object" && typeof iterator !== "function")) {
        throw new TypeErrorCtor("ReadableStream.from: the async iterator is not an object");
      }
      return { iterator, next: iterator.next, sync: false };
    }
    const syncMethod = value[SymbolIterator];
    if (typeof syncMethod !== "function") throw new TypeErrorCtor("ReadableStream.from: the argument is not iterable");
    const iterator = apply(syncMethod, value, []);
    if (iterator === null || (typeof iterator !== "object" && typeof iterator !== "function")) {
      throw new TypeErrorCtor("ReadableStream.from: the iterator is not an object");
    }
    return { iterator, next: iterator.next, sync: true };
  }
  S.rsFromIterable = function (asyncIterable) {
    const record = getAsyncIterator(asyncIterable);
    let stream;
    const isObject = (v) => v !== null && (typeof v === "object" || typeof v === "function");
    const notObject = () => new TypeErrorCtor("ReadableStream.from: the iterator's result is not an object");
    const pull = () => {
      let result;
      try {
        result = apply(record.next, record.iterator, []);
        // A sync iterator (CreateAsyncFromSyncIterator): await the value, not a result object.
        if (record.sync) {
          if (!isObject(result)) throw notObject();
          if (result.done) {
            S.rsdcClose(stream.controller);
            return S.resolved(undefined);
          }
          return S.chain(S.promiseFrom((v) => v, undefined, [result.value]),
            (value) => S.rsdcEnqueue(stream.controller, value));
        }
      } catch (e) {
        return S.rejected(e);
      }
      return S.chain(S.resolved(result), (iterResult) => {
        if (!isObject(iterResult)) throw notObject();
        if (iterResult.done) S.rsdcClose(stream.controller);
        else S.rsdcEnqueue(stream.controller, iterResult.value);
      });
    };
    const cancel = (reason) => {
      const iterator = record.iterator;
      let returnResult;
      try {
        const method = iterator.return;
        if (method === undefined || method === null) return S.resolved(undefined);
        if (typeof method !== "function") throw new TypeErrorCtor("the iterator's return is not a function");
        returnResult = apply(method, iterator, [reason]);
      } catch (e) {
        return S.rejected(e);
      }
      return S.chain(S.resolved(returnResult), (r) => {
        if (r === null || (typeof r !== "object" && typeof r !== "function")) {
          throw new TypeErrorCtor("the iterator's return() result is not an object");
        }
      });
    };
    stream = S.createReadableStream(() => undefined, pull, cancel, 0);
    return stream;
  };

  // --- async iteration (§4.2.5) ---
  const AsyncIteratorPrototype = B.AsyncIteratorPrototype;
  function iteratorOf(value, member) {
    const it = S.slotOf(value, "AsyncIterator");
    if (it === undefined) throw new TypeErrorCtor("ReadableStreamAsyncIterator." + member + " called on another object");
    return it;
  }
  function nextSteps(it) {
    if (it.isFinished) return S.resolved({ value: undefined, done: true });
    const reader = it.reader;
    const d = S.newPromise();
    const request = objectCreate(null);
    request.chunkSteps = (chunk) => {
      it.ongoingPromise = undefined;
      queueTask(() => d.resolve({ value: chunk, done: false }));
    };
    request.closeSteps = () => {
      it.ongoingPromise = undefined;
      it.isFinished = true;
      S.rsdrRelease(reader);
      d.resolve({ value: undefined, done: true });
    };
    request.errorSteps = (e) => {
      it.ongoingPromise = undefined;
      it.isFinished = true;
      S.rsdrRelease(reader);
      d.reject(e);
    };
    S.rsdrRead(reader, request);
    return d.promise;
  }
  function returnSteps(it, value) {
    if (it.isFinished) return S.resolved({ value, done: true });
    it.isFinished = true;
    const reader = it.reader;
    if (!it.preventCancel) {
      const result = S.readerGenericCancel(reader, value);
      S.rsdrRelease(reader);
      return S.chain(result, () => ({ value, done: true }));
    }
    S.rsdrRelease(reader);
    return S.resolved({ value, done: true });
  }
  const iteratorProto = objectCreate(AsyncIteratorPrototype, {
    next: {
      value: function next() {
        let it;
        try { it = iteratorOf(this, "next"); } catch (e) { return S.rejected(e); }
        const steps = () => nextSteps(it);
        it.ongoingPromise = it.ongoingPromise ? S.chain(it.ongoingPromise, steps, steps) : steps();
        return it.ongoingPromise;
      },
      writable: true, enumerable: true, configurable: true,
    },
    return: {
      value: function (value) {
        let it;
        try { it = iteratorOf(this, "return"); } catch (e) { return S.rejected(e); }
        const steps = () => returnSteps(it, value);
        it.ongoingPromise = it.ongoingPromise ? S.chain(it.ongoingPromise, steps, steps) : steps();
        return it.ongoingPromise;
      },
      writable: true, enumerable: true, configurable: true,
    },
    [B.toStringTag]: { value: "ReadableStream AsyncIterator", configurable: true },
  });
  S.asyncIterator = function (stream, options) {
    const dict = S.requireObjectOrUndefined(options, "values: options");
    const it = objectCreate(null);
    it.kind = "AsyncIterator";
    it.reader = S.acquireDefaultReader(stream);
    it.preventCancel = dict !== undefined && !!dict.preventCancel;
    it.isFinished = false;
    it.ongoingPromise = undefined;
    return S.wrap(iteratorProto, it);
  };
})
