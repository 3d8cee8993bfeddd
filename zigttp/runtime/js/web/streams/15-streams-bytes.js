// Readable byte streams (Streams Standard §4.7, §4.10): the byte controller's abstract
// operations (rbc*); a pull-into descriptor is a null-prototype record as in the spec. The
// public classes and the BYOB reader are in streams-byob.js.
(function (hooks, S, B) {
  "use strict";
  const { TypeError: TypeErrorCtor, RangeError: RangeErrorCtor, apply } = S, objectCreate = B.create;
  const Uint8ArrayCtor = B.Uint8Array;
  const DataViewCtor = B.DataView;
  const mathMin = B.min;
  const typedArrayName = B.taName, typedArrayLength = B.taLength;
  const viewBuffer = (v) => v.buffer;
  const u8Set = B.u8Set;
  const abSlice = B.abSlice;
  const CTORS = B.typedArrays;

  const record = S.record, slot = S.slot;
  function viewInfo(view) {
    const name = apply(typedArrayName, view, []);
    if (name === undefined) return { ctor: DataViewCtor, elementSize: 1, length: view.byteLength };
    const ctor = CTORS[name];
    return { ctor, elementSize: ctor.BYTES_PER_ELEMENT, length: apply(typedArrayLength, view, []) };
  }
  function copyBytes(dest, destOffset, src, srcOffset, count) {
    apply(u8Set, new Uint8ArrayCtor(dest, destOffset, count), [new Uint8ArrayCtor(src, srcOffset, count)]);
  }

  // --- setting up (§4.10.x SetUpReadableByteStreamController) ---
  function newByteController() {
    const c = record("ByteController");
    S.wrap(S.ReadableByteStreamController.prototype, c);
    c.cancelSteps = (reason) => {
      rbcClearPendingPullIntos(c);
      S.resetQueue(c);
      const result = c.cancelAlgorithm(reason);
      rbcClearAlgorithms(c);
      return result;
    };
    c.pullSteps = (readRequest) => rbcPullSteps(c, readRequest);
    c.releaseSteps = () => {
      if (c.pendingPullIntos.length > 0) {
        const first = c.pendingPullIntos.peek();
        first.readerType = "none";
        c.pendingPullIntos = new S.Queue();
        c.pendingPullIntos.push(first);
      }
    };
    return c;
  }
  function setUpByteController(stream, c, start, pull, cancel, highWaterMark, autoAllocateChunkSize) {
    c.stream = stream;
    c.pullAgain = c.pulling = false;
    c.byobRequest = null;
    S.resetQueue(c);
    c.closeRequested = c.started = false;
    c.strategyHWM = highWaterMark;
    c.pullAlgorithm = pull;
    c.cancelAlgorithm = cancel;
    c.autoAllocateChunkSize = autoAllocateChunkSize;
    c.pendingPullIntos = new S.Queue();
    stream.controller = c;
    S.upon(S.resolved(start()), () => {
      c.started = true;
      rbcCallPullIfNeeded(c);
    }, (r) => rbcError(c, r));
  }
  S.setUpByteControllerFromUnderlyingSource = function (stream, source, dict, highWaterMark) {
    const c = newByteController();
    const { start, pull, cancel, autoAllocateChunkSize } = dict;
    if (autoAllocateChunkSize === 0) throw new TypeErrorCtor("autoAllocateChunkSize must be greater than 0");
    setUpByteController(stream, c,
      () => (start === undefined ? undefined : apply(start, source, [c.wrapper])),
      () => (pull === undefined ? S.resolved(undefined) : S.promiseFrom(pull, source, [c.wrapper])),
      (reason) => (cancel === undefined ? S.resolved(undefined) : S.promiseFrom(cancel, source, [reason])),
      highWaterMark, autoAllocateChunkSize);
  };
  S.createReadableByteStream = function (start, pull, cancel) {
    const stream = S.newReadableStreamRecord();
    setUpByteController(stream, newByteController(), start, pull, cancel, 0, undefined);
    return stream;
  };

  // --- the controller's abstract operations (§4.10) ---
  function rbcCallPullIfNeeded(c) { S.callPullIfNeeded(c, rbcShouldCallPull, rbcError); }
  function rbcShouldCallPull(c) {
    const stream = c.stream;
    if (stream.state !== "readable" || c.closeRequested || !c.started) return false;
    if (S.rsHasDefaultReader(stream) && S.rsGetNumReadRequests(stream) > 0) return true;
    if (hasBYOBReader(stream) && stream.reader.readIntoRequests.length > 0) return true;
    return rbcGetDesiredSize(c) > 0;
  }
  function rbcClearAlgorithms(c) { c.pullAlgorithm = undefined; c.cancelAlgorithm = undefined; }
  function rbcClearPendingPullIntos(c) {
    rbcInvalidateBYOBRequest(c);
    c.pendingPullIntos = new S.Queue();
  }
  function rbcClose(c) {
    const stream = c.stream;
    if (c.closeRequested || stream.state !== "readable") return;
    if (c.queueTotalSize > 0) {
      c.closeRequested = true;
      return;
    }
    if (c.pendingPullIntos.length > 0) {
      const first = c.pendingPullIntos.peek();
      if (first.bytesFilled % first.elementSize !== 0) {
        const e = new TypeErrorCtor("close() with a partially filled element in a pending read");
        rbcError(c, e);
        throw e;
      }
    }
    rbcClearAlgorithms(c);
    S.rsClose(stream);
  }
  function rbcCommitPullIntoDescriptor(stream, pid) {
    const done = stream.state === "closed";
    const filledView = rbcConvertPullIntoDescriptor(pid);
    if (pid.readerType === "default") S.rsFulfillReadRequest(stream, filledView, done);
    else rsFulfillReadIntoRequest(stream, filledView, done);
  }
  function rbcConvertPullIntoDescriptor(pid) {
    const buffer = S.transferBuffer(pid.buffer);
    return new pid.viewConstructor(buffer, pid.byteOffset, pid.bytesFilled / pid.elementSize);
  }
  function rbcEnqueue(c, chunk) {
    const stream = c.stream;
    if (c.closeRequested || stream.state !== "readable") return;
    const buffer = viewBuffer(chunk), byteOffset = chunk.byteOffset, byteLength = chunk.byteLength;
    if (S.isDetached(buffer)) throw new TypeErrorCtor("enqueue: the chunk's buffer is detached");
    const transferred = S.transferBuffer(buffer);
    if (c.pendingPullIntos.length > 0) {
      const first = c.pendingPullIntos.peek();
      if (S.isDetached(first.buffer)) throw new TypeErrorCtor("enqueue: the BYOB request's buffer is detached");
      rbcInvalidateBYOBRequest(c);
      first.buffer = S.transferBuffer(first.buffer);
      if (first.readerType === "none") rbcEnqueueDetachedPullIntoToQueue(c, first);
    }
    if (S.rsHasDefaultReader(stream)) {
      rbcProcessReadRequestsUsingQueue(c);
      if (S.rsGetNumReadRequests(stream) === 0) {
        rbcEnqueueChunkToQueue(c, transferred, byteOffset, byteLength);
      } else {
        if (c.pendingPullIntos.length > 0) c.pendingPullIntos.shift();
        S.rsFulfillReadRequest(stream, new Uint8ArrayCtor(transferred, byteOffset, byteLength), false);
      }
    } else if (hasBYOBReader(stream)) {
      rbcEnqueueChunkToQueue(c, transferred, byteOffset, byteLength);
      commitAll(stream, rbcProcessPullIntoDescriptorsUsingQueue(c));
    } else {
      rbcEnqueueChunkToQueue(c, transferred, byteOffset, byteLength);
    }
    rbcCallPullIfNeeded(c);
  }
  function commitAll(stream, filled) {
    for (let i = 0; i < filled.length; i++) rbcCommitPullIntoDescriptor(stream, filled[i]);
  }
  function rbcEnqueueChunkToQueue(c, buffer, byteOffset, byteLength) {
    const entry = objectCreate(null);
    entry.buffer = buffer;
    entry.byteOffset = byteOffset;
    entry.byteLength = byteLength;
    c.queue.push(entry);
    c.queueTotalSize += byteLength;
  }
  function rbcEnqueueClonedChunkToQueue(c, buffer, byteOffset, byteLength) {
    let clone;
    try {
      clone = apply(abSlice, buffer, [byteOffset, byteOffset + byteLength]);
    } catch (e) {
      rbcError(c, e);
      throw e;
    }
    rbcEnqueueChunkToQueue(c, clone, 0, byteLength);
  }
  function rbcEnqueueDetachedPullIntoToQueue(c, pid) {
    if (pid.bytesFilled > 0) rbcEnqueueClonedChunkToQueue(c, pid.buffer, pid.byteOffset, pid.bytesFilled);
    c.pendingPullIntos.shift();
  }
  function rbcError(c, e) {
    if (c.stream.state !== "readable") return;
    rbcClearPendingPullIntos(c);
    S.resetQueue(c);
    rbcClearAlgorithms(c);
    S.rsError(c.stream, e);
  }
  function rbcFillPullIntoDescriptorFromQueue(c, pid) {
    const maxBytesToCopy = mathMin(c.queueTotalSize, pid.byteLength - pid.bytesFilled);
    const maxBytesFilled = pid.bytesFilled + maxBytesToCopy;
    let remaining = maxBytesToCopy;
    let ready = false;
    const maxAlignedBytes = maxBytesFilled - (maxBytesFilled % pid.elementSize);
    if (maxAlignedBytes >= pid.minimumFill) {
      remaining = maxAlignedBytes - pid.bytesFilled;
      ready = true;
    }
    const queue = c.queue;
    while (remaining > 0) {
      const head = queue.peek();
      const count = mathMin(remaining, head.byteLength);
      copyBytes(pid.buffer, pid.byteOffset + pid.bytesFilled, head.buffer, head.byteOffset, count);
      if (head.byteLength === count) {
        queue.shift();
      } else {
        head.byteOffset += count;
        head.byteLength -= count;
      }
      c.queueTotalSize -= count;
      pid.bytesFilled += count;
      remaining -= count;
    }
    return ready;
  }
  function rbcFillReadRequestFromQueue(c, readRequest) {
    const entry = c.queue.shift();
    c.queueTotalSize -= entry.byteLength;
    rbcHandleQueueDrain(c);
    readRequest.chunkSteps(new Uint8ArrayCtor(entry.buffer, entry.byteOffset, entry.byteLength));
  }
  function rbcGetBYOBRequest(c) {
    if (c.byobRequest === null && c.pendingPullIntos.length > 0) {
      const first = c.pendingPullIntos.peek();
      const request = record("BYOBRequest");
      request.controller = c;
      request.view = new Uint8ArrayCtor(first.buffer, first.byteOffset + first.bytesFilled,
        first.byteLength - first.bytesFilled);
      S.wrap(S.ReadableStreamBYOBRequest.prototype, request);
      c.byobRequest = request;
    }
    return c.byobRequest;
  }
  function rbcGetDesiredSize(c) {
    const state = c.stream.state;
    if (state === "errored") return null;
    if (state === "closed") return 0;
    return c.strategyHWM - c.queueTotalSize;
  }
  function rbcHandleQueueDrain(c) {
    if (c.queueTotalSize === 0 && c.closeRequested) {
      rbcClearAlgorithms(c);
      S.rsClose(c.stream);
    } else {
      rbcCallPullIfNeeded(c);
    }
  }
  function rbcInvalidateBYOBRequest(c) {
    if (c.byobRequest === null) return;
    c.byobRequest.controller = undefined;
    c.byobRequest.view = null;
    c.byobRequest = null;
  }
  function rbcProcessPullIntoDescriptorsUsingQueue(c) {
    const filled = S.list();
    while (c.pendingPullIntos.length > 0 && c.queueTotalSize !== 0) {
      const pid = c.pendingPullIntos.peek();
      if (!rbcFillPullIntoDescriptorFromQueue(c, pid)) break;
      c.pendingPullIntos.shift();
      filled[filled.length] = pid;
    }
    return filled;
  }
  function rbcProcessReadRequestsUsingQueue(c) {
    const requests = c.stream.reader.readRequests;
    while (requests.length > 0 && c.queueTotalSize !== 0) rbcFillReadRequestFromQueue(c, requests.shift());
  }
  function rbcPullInto(c, view, min, readIntoRequest) {
    const stream = c.stream;
    const info = viewInfo(view);
    const byteOffset = view.byteOffset, byteLength = view.byteLength;
    let buffer;
    try {
      buffer = S.transferBuffer(viewBuffer(view));
    } catch (e) {
      readIntoRequest.errorSteps(e);
      return;
    }
    const pid = objectCreate(null);
    pid.buffer = buffer;
    pid.bufferByteLength = S.byteLength(buffer);
    pid.byteOffset = byteOffset;
    pid.byteLength = byteLength;
    pid.bytesFilled = 0;
    pid.minimumFill = min * info.elementSize;
    pid.elementSize = info.elementSize;
    pid.viewConstructor = info.ctor;
    pid.readerType = "byob";
    if (c.pendingPullIntos.length > 0) {
      c.pendingPullIntos.push(pid);
      stream.reader.readIntoRequests.push(readIntoRequest);
      return;
    }
    if (stream.state === "closed") {
      readIntoRequest.closeSteps(new pid.viewConstructor(pid.buffer, pid.byteOffset, 0));
      return;
    }
    if (c.queueTotalSize > 0) {
      if (rbcFillPullIntoDescriptorFromQueue(c, pid)) {
        const filledView = rbcConvertPullIntoDescriptor(pid);
        rbcHandleQueueDrain(c);
        readIntoRequest.chunkSteps(filledView);
        return;
      }
      if (c.closeRequested) {
        const e = new TypeErrorCtor("the stream closed with a partially filled element");
        rbcError(c, e);
        readIntoRequest.errorSteps(e);
        return;
      }
    }
    c.pendingPullIntos.push(pid);
    stream.reader.readIntoRequests.push(readIntoRequest);
    rbcCallPullIfNeeded(c);
  }
  function rbcPullSteps(c, readRequest) {
    const stream = c.stream;
    if (c.queueTotalSize > 0) {
      rbcFillReadRequestFromQueue(c, readRequest);
      return;
    }
    const size = c.autoAllocateChunkSize;
    if (size !== undefined) {
      let buffer;
      try {
        buffer = new S.ArrayBuffer(size);
      } catch (e) {
        readRequest.errorSteps(e);
        return;
      }
      const pid = objectCreate(null);
      pid.buffer = buffer;
      pid.bufferByteLength = size;
      pid.byteOffset = 0;
      pid.byteLength = size;
      pid.bytesFilled = 0;
      pid.minimumFill = 1;
      pid.elementSize = 1;
      pid.viewConstructor = Uint8ArrayCtor;
      pid.readerType = "default";
      c.pendingPullIntos.push(pid);
    }
    S.rsAddReadRequest(stream, readRequest);
    rbcCallPullIfNeeded(c);
  }
  function rbcRespond(c, bytesWritten) {
    const first = c.pendingPullIntos.peek();
    if (c.stream.state === "closed") {
      if (bytesWritten !== 0) throw new TypeErrorCtor("respond: bytesWritten must be 0 on a closed stream");
    } else {
      if (bytesWritten === 0) throw new TypeErrorCtor("respond: bytesWritten must be greater than 0");
      if (first.bytesFilled + bytesWritten > first.byteLength) {
        throw new RangeErrorCtor("respond: bytesWritten exceeds the view's length");
      }
    }
    first.buffer = S.transferBuffer(first.buffer);
    rbcRespondInternal(c, bytesWritten);
  }
  function rbcRespondInClosedState(c, first) {
    if (first.readerType === "none") c.pendingPullIntos.shift();
    const stream = c.stream;
    if (hasBYOBReader(stream)) {
      const filled = S.list();
      while (filled.length < stream.reader.readIntoRequests.length) filled[filled.length] = c.pendingPullIntos.shift();
      commitAll(stream, filled);
    }
  }
  function rbcRespondInReadableState(c, bytesWritten, pid) {
    pid.bytesFilled += bytesWritten;
    if (pid.readerType === "none") {
      rbcEnqueueDetachedPullIntoToQueue(c, pid);
      commitAll(c.stream, rbcProcessPullIntoDescriptorsUsingQueue(c));
      return;
    }
    if (pid.bytesFilled < pid.minimumFill) return;
    c.pendingPullIntos.shift();
    const remainder = pid.bytesFilled % pid.elementSize;
    if (remainder > 0) {
      const end = pid.byteOffset + pid.bytesFilled;
      rbcEnqueueClonedChunkToQueue(c, pid.buffer, end - remainder, remainder);
    }
    pid.bytesFilled -= remainder;
    const filled = rbcProcessPullIntoDescriptorsUsingQueue(c);
    rbcCommitPullIntoDescriptor(c.stream, pid);
    commitAll(c.stream, filled);
  }
  function rbcRespondInternal(c, bytesWritten) {
    const first = c.pendingPullIntos.peek();
    rbcInvalidateBYOBRequest(c);
    if (c.stream.state === "closed") rbcRespondInClosedState(c, first);
    else rbcRespondInReadableState(c, bytesWritten, first);
    rbcCallPullIfNeeded(c);
  }
  function rbcRespondWithNewView(c, view) {
    const first = c.pendingPullIntos.peek();
    const byteLength = view.byteLength;
    if (c.stream.state === "closed") {
      if (byteLength !== 0) throw new TypeErrorCtor("respondWithNewView: the view must be empty on a closed stream");
    } else if (byteLength === 0) {
      throw new TypeErrorCtor("respondWithNewView: the view must not be empty");
    }
    if (first.byteOffset + first.bytesFilled !== view.byteOffset) {
      throw new RangeErrorCtor("respondWithNewView: the view's offset does not match the request");
    }
    if (first.bufferByteLength !== S.byteLength(viewBuffer(view))) {
      throw new RangeErrorCtor("respondWithNewView: the view's buffer length does not match the request");
    }
    if (first.bytesFilled + byteLength > first.byteLength) {
      throw new RangeErrorCtor("respondWithNewView: the view is longer than the request");
    }
    first.buffer = S.transferBuffer(viewBuffer(view));
    rbcRespondInternal(c, byteLength);
  }
  S.rbcClose = rbcClose;
  S.rbcEnqueue = rbcEnqueue;
  S.rbcError = rbcError;
  S.rbcRespond = rbcRespond;
  S.rbcRespondWithNewView = rbcRespondWithNewView;
  S.rbcGetBYOBRequest = rbcGetBYOBRequest;
  S.rbcGetDesiredSize = rbcGetDesiredSize;
  S.rbcPullInto = rbcPullInto;
  S.viewInfo = viewInfo;

  // --- the BYOB reader (§4.6) ---
  function hasBYOBReader(stream) { return stream.reader !== undefined && stream.reader.kind === "BYOBReader"; }
  function rsFulfillReadIntoRequest(stream, chunk, done) {
    const request = stream.reader.readIntoRequests.shift();
    if (done) request.closeSteps(chunk);
    else request.chunkSteps(chunk);
  }
})
