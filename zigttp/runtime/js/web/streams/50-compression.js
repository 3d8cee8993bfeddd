// CompressionStream and DecompressionStream (Compression Standard) over the host's zlib and
// brotli (zigttp/web/compression.py). The zlib object is opened on the first chunk, so a stream
// that never sees data costs the host nothing; it is closed when the stream finishes, errors
// or is cancelled, and a FinalizationRegistry closes the handle of a stream dropped half way.
// Output is drained a bounded piece at a time, waiting while the readable side is full, so
// a decompression bomb grows only as fast as its reader consumes it.
(function (hooks, S, B) {
  "use strict";
  const native = hooks.native;
  const TypeErrorCtor = S.TypeError;
  const Uint8ArrayCtor = B.Uint8Array;
  const StringCtor = B.String;
  const FORMATS = B.create(null);
  FORMATS.gzip = FORMATS.deflate = FORMATS["deflate-raw"] = FORMATS.brotli = true;
  const Registry = B.FinalizationRegistry;
  let registry = null; // made on first use: no cost for handlers without compression
  const registerMethod = B.frRegister, unregisterMethod = B.frUnregister;

  function closeHandle(handle) { native("compression.close", handle); }
  function track(state) {
    if (Registry === null) return;
    if (registry === null) registry = new Registry(closeHandle);
    S.apply(registerMethod, registry, [state.token, state.handle, state.token]);
  }
  function release(state) {
    if (state.handle === 0) return;
    const handle = state.handle;
    state.handle = 0;
    if (registry !== null) S.apply(unregisterMethod, registry, [state.token]);
    closeHandle(handle);
  }
  function handleOf(state) {
    if (state.handle === 0) {
      state.handle = native("compression.open", state.format, state.decompress);
      track(state);
    }
    return state.handle;
  }
  function enqueuePiece(c, piece) {
    if (piece.byteLength > 0) S.tsdcEnqueue(c, new Uint8ArrayCtor(piece));
  }
  // Feed one chunk and enqueue what comes out, piece by piece, pausing on backpressure.
  function pump(state, c, first) {
    let result = first;
    for (;;) {
      enqueuePiece(c, result[0]);
      if (!result[1]) return undefined;
      const stream = c.stream;
      if (stream.backpressure) {
        return S.chain(stream.backpressureChangePromise.promise, () => {
          if (state.handle === 0) return undefined; // cancelled while waiting
          return pump(state, c, native("compression.feed", state.handle, new Uint8ArrayCtor(0)));
        });
      }
      result = native("compression.feed", state.handle, new Uint8ArrayCtor(0));
    }
  }
  function guarded(state, fn) {
    return (arg, c) => {
      try {
        const out = fn(arg, c);
        if (S.isPromise(out)) return S.chain(out, undefined, (e) => { release(state); throw e; });
        return out;
      } catch (e) {
        release(state);
        throw e;
      }
    };
  }
  function makeStream(self, format, decompress, cls) {
    const name = StringCtor(format);
    if (FORMATS[name] !== true) {
      throw new TypeErrorCtor(`${cls}: unsupported format "${name}" (use "gzip", "deflate", "deflate-raw" or "brotli")`);
    }
    const state = B.create(null);
    state.kind = "CompressionStreamBase";
    state.format = name;
    state.decompress = decompress;
    state.handle = 0;
    state.token = B.create(null);
    const transform = guarded(state, (chunk, c) => {
      const bytes = S.bytesOf(chunk, cls);
      return pump(state, c, native("compression.feed", handleOf(state), bytes));
    });
    const flush = guarded(state, (c) => {
      const handle = handleOf(state);
      state.handle = 0;
      if (registry !== null) S.apply(unregisterMethod, registry, [state.token]);
      enqueuePiece(c, native("compression.finish", handle));
    });
    const cancel = () => { release(state); };
    state.transform = S.createTransformStream(transform, flush, cancel);
    self[S.SLOT] = state;
  }
  function slot(value, cls, member) {
    const r = S.slotOf(value, "CompressionStreamBase");
    if (r === undefined || r.cls !== cls) throw S.brandError(cls, member);
    return r;
  }
  class CompressionStream {
    constructor(format) {
      makeStream(this, format, false, "CompressionStream");
      this[S.SLOT].cls = "CompressionStream";
    }
    get readable() { return slot(this, "CompressionStream", "readable").transform.readable.wrapper; }
    get writable() { return slot(this, "CompressionStream", "writable").transform.writable.wrapper; }
  }
  class DecompressionStream {
    constructor(format) {
      makeStream(this, format, true, "DecompressionStream");
      this[S.SLOT].cls = "DecompressionStream";
    }
    get readable() { return slot(this, "DecompressionStream", "readable").transform.readable.wrapper; }
    get writable() { return slot(this, "DecompressionStream", "writable").transform.writable.wrapper; }
  }

  S.idlClass(CompressionStream, "CompressionStream");
  S.idlClass(DecompressionStream, "DecompressionStream");
  S.defineGlobal("CompressionStream", CompressionStream);
  S.defineGlobal("DecompressionStream", DecompressionStream);
})
