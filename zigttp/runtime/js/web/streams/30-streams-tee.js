// ReadableStreamTee (Streams Standard §4.9.x ReadableStreamDefaultTee, ReadableByteStreamTee):
// two branches over one reader, chunks handed on in a microtask as the reference does.
(function (hooks, S, B) {
  "use strict";
  const { apply, queueTask } = S, objectCreate = B.create;
  const Uint8ArrayCtor = B.Uint8Array;
  const abSlice = B.abSlice;

  // --- tee (§4.9.x ReadableStreamDefaultTee, ReadableByteStreamTee) ---
  S.rsTee = function (stream, cloneForBranch2) {
    if (stream.controller.kind === "ByteController") return byteTee(stream);
    return defaultTee(stream, cloneForBranch2);
  };
  function teeCancel(stream, state, which) {
    return (reason) => {
      state["canceled" + which] = true;
      state["reason" + which] = reason;
      if (state["canceled" + (3 - which)]) {
        const composite = [state.reason1, state.reason2];
        S.forward(S.rsCancel(stream, composite), state.cancelPromise);
      }
      return state.cancelPromise.promise;
    };
  }
  function teeState() {
    const state = objectCreate(null);
    state.reading = state.readAgain = state.readAgainForBranch1 = state.readAgainForBranch2 = false;
    state.canceled1 = state.canceled2 = false;
    state.cancelPromise = S.newPromise();
    return state;
  }
  function defaultTee(stream, cloneForBranch2) {
    const reader = S.acquireDefaultReader(stream);
    const t = teeState();
    let branch1, branch2;
    const readRequest = objectCreate(null);
    readRequest.chunkSteps = (chunk) => queueTask(() => {
      t.readAgain = false;
      const chunk2 = cloneForBranch2 ? S.internal("structuredClone")(chunk) : chunk;
      if (!t.canceled1) S.rsdcEnqueue(branch1.controller, chunk);
      if (!t.canceled2) S.rsdcEnqueue(branch2.controller, chunk2);
      t.reading = false;
      if (t.readAgain) pullAlgorithm();
    });
    readRequest.closeSteps = () => {
      t.reading = false;
      if (!t.canceled1) S.rsdcClose(branch1.controller);
      if (!t.canceled2) S.rsdcClose(branch2.controller);
      if (!t.canceled1 || !t.canceled2) t.cancelPromise.resolve(undefined);
    };
    readRequest.errorSteps = () => { t.reading = false; };
    function pullAlgorithm() {
      if (t.reading) {
        t.readAgain = true;
        return S.resolved(undefined);
      }
      t.reading = true;
      S.rsdrRead(reader, readRequest);
      return S.resolved(undefined);
    }
    const start = () => undefined;
    branch1 = S.createReadableStream(start, pullAlgorithm, teeCancel(stream, t, 1));
    branch2 = S.createReadableStream(start, pullAlgorithm, teeCancel(stream, t, 2));
    S.upon(reader.closed.promise, undefined, (r) => {
      S.rsdcError(branch1.controller, r);
      S.rsdcError(branch2.controller, r);
      if (!t.canceled1 || !t.canceled2) t.cancelPromise.resolve(undefined);
    });
    return [branch1, branch2];
  }
  function cloneAsUint8Array(view) {
    const buffer = apply(abSlice, view.buffer, [view.byteOffset, view.byteOffset + view.byteLength]);
    return new Uint8ArrayCtor(buffer);
  }
  function byteTee(stream) {
    let reader = S.acquireDefaultReader(stream);
    const t = teeState();
    let branch1, branch2;
    function forwardReaderError(thisReader) {
      S.upon(thisReader.closed.promise, undefined, (r) => {
        if (thisReader !== reader) return;
        S.rbcError(branch1.controller, r);
        S.rbcError(branch2.controller, r);
        if (!t.canceled1 || !t.canceled2) t.cancelPromise.resolve(undefined);
      });
    }
    function cloneFailed(e) {
      S.rbcError(branch1.controller, e);
      S.rbcError(branch2.controller, e);
      S.forward(S.rsCancel(stream, e), t.cancelPromise);
    }
    function readAgain() {
      if (t.readAgainForBranch1) pull1();
      else if (t.readAgainForBranch2) pull2();
    }
    function pullWithDefaultReader() {
      if (reader.kind === "BYOBReader") {
        S.byobReaderRelease(reader);
        reader = S.acquireDefaultReader(stream);
        forwardReaderError(reader);
      }
      const request = objectCreate(null);
      request.chunkSteps = (chunk) => queueTask(() => {
        t.readAgainForBranch1 = t.readAgainForBranch2 = false;
        let chunk2 = chunk;
        if (!t.canceled1 && !t.canceled2) {
          try {
            chunk2 = cloneAsUint8Array(chunk);
          } catch (e) {
            cloneFailed(e);
            return;
          }
        }
        if (!t.canceled1) S.rbcEnqueue(branch1.controller, chunk);
        if (!t.canceled2) S.rbcEnqueue(branch2.controller, chunk2);
        t.reading = false;
        readAgain();
      });
      request.closeSteps = () => {
        t.reading = false;
        if (!t.canceled1) S.rbcClose(branch1.controller);
        if (!t.canceled2) S.rbcClose(branch2.controller);
        if (branch1.controller.pendingPullIntos.length > 0) S.rbcRespond(branch1.controller, 0);
        if (branch2.controller.pendingPullIntos.length > 0) S.rbcRespond(branch2.controller, 0);
        if (!t.canceled1 || !t.canceled2) t.cancelPromise.resolve(undefined);
      };
      request.errorSteps = () => { t.reading = false; };
      S.rsdrRead(reader, request);
    }
    function pullWithBYOBReader(view, forBranch2) {
      if (reader.kind === "DefaultReader") {
        S.rsdrRelease(reader);
        reader = S.acquireBYOBReader(stream);
        forwardReaderError(reader);
      }
      const byobBranch = forBranch2 ? branch2 : branch1;
      const otherBranch = forBranch2 ? branch1 : branch2;
      const request = objectCreate(null);
      request.chunkSteps = (chunk) => queueTask(() => {
        t.readAgainForBranch1 = t.readAgainForBranch2 = false;
        const byobCanceled = forBranch2 ? t.canceled2 : t.canceled1;
        const otherCanceled = forBranch2 ? t.canceled1 : t.canceled2;
        if (!otherCanceled) {
          let clone;
          try {
            clone = cloneAsUint8Array(chunk);
          } catch (e) {
            cloneFailed(e);
            return;
          }
          if (!byobCanceled) S.rbcRespondWithNewView(byobBranch.controller, chunk);
          S.rbcEnqueue(otherBranch.controller, clone);
        } else if (!byobCanceled) {
          S.rbcRespondWithNewView(byobBranch.controller, chunk);
        }
        t.reading = false;
        readAgain();
      });
      request.closeSteps = (chunk) => {
        t.reading = false;
        const byobCanceled = forBranch2 ? t.canceled2 : t.canceled1;
        const otherCanceled = forBranch2 ? t.canceled1 : t.canceled2;
        if (!byobCanceled) S.rbcClose(byobBranch.controller);
        if (!otherCanceled) S.rbcClose(otherBranch.controller);
        if (chunk !== undefined) {
          if (!byobCanceled) S.rbcRespondWithNewView(byobBranch.controller, chunk);
          if (!otherCanceled && otherBranch.controller.pendingPullIntos.length > 0) S.rbcRespond(otherBranch.controller, 0);
        }
        if (!byobCanceled || !otherCanceled) t.cancelPromise.resolve(undefined);
      };
      request.errorSteps = () => { t.reading = false; };
      S.byobReaderRead(reader, view, 1, request);
    }
    function pullBranch(which) {
      if (t.reading) {
        t["readAgainForBranch" + which] = true;
        return S.resolved(undefined);
      }
      t.reading = true;
      const byobRequest = S.rbcGetBYOBRequest((which === 1 ? branch1 : branch2).controller);
      if (byobRequest === null) pullWithDefaultReader();
      else pullWithBYOBReader(byobRequest.view, which === 2);
      return S.resolved(undefined);
    }
    const pull1 = () => pullBranch(1), pull2 = () => pullBranch(2);
    const start = () => undefined;
    branch1 = S.createReadableByteStream(start, pull1, teeCancel(stream, t, 1));
    branch2 = S.createReadableByteStream(start, pull2, teeCancel(stream, t, 2));
    forwardReaderError(reader);
    return [branch1, branch2];
  }

})
