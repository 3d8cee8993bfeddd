// The Streams Standard and what stands on it (ReadableStream, WritableStream, TransformStream,
// the queuing strategies, TextEncoderStream/TextDecoderStream, CompressionStream/
// DecompressionStream), loaded on first use: this file runs in every runtime's build and
// only captures builtins and defines lazy globals; the ~80 KB of bytecode of web/streams/
// (compiled once per process, zigttp/runtime/scripts.py) is read in with hooks.loadBundle the first time
// handler code touches one of the globals or the glue calls `hooks.streams.load()`
// (docs/streams.md).
//
// Builtins are captured HERE, at build time, before the handler's top level runs, and handed
// to the lazy code as `B`: code that loads after the handler replaced Promise.prototype.then
// or Object.create still uses the originals.
//
// Until it loads, each global is one of web-core's lazy accessors (hooks.lazyGlobals: get
// loads, set replaces it like any global assignment); loading redefines them as the
// writable, configurable, non-enumerable data properties Web IDL specifies.
(function (hooks) {
  "use strict";
  const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const defineProperty = Object.defineProperty;
  const getPrototypeOf = Object.getPrototypeOf;
  const create = Object.create;
  const TypedArrayProto = getPrototypeOf(Uint8Array.prototype);
  const B = create(null);
  B.create = create;
  B.getOwnPropertyDescriptor = getOwnPropertyDescriptor;
  B.getOwnPropertyNames = Object.getOwnPropertyNames;
  B.getPrototypeOf = getPrototypeOf;
  B.setPrototypeOf = Object.setPrototypeOf;
  B.defineProperty = defineProperty;
  B.assign = Object.assign;
  B.apply = Reflect.apply;
  B.Promise = Promise;
  B.PromiseProto = Promise.prototype;
  B.then = Promise.prototype.then;
  B.Symbol = Symbol;
  B.toStringTag = Symbol.toStringTag;
  B.asyncIterator = Symbol.asyncIterator;
  B.iterator = Symbol.iterator;
  B.Number = Number;
  B.isNaN = Number.isNaN;
  B.isFinite = Number.isFinite;
  B.trunc = Math.trunc;
  B.min = Math.min;
  B.String = String;
  B.sCharCodeAt = String.prototype.charCodeAt;
  B.sSlice = String.prototype.slice;
  B.sTrim = String.prototype.trim;
  B.sToLowerCase = String.prototype.toLowerCase;
  B.Error = Error;
  B.TypeError = TypeError;
  B.RangeError = RangeError;
  B.ArrayBuffer = ArrayBuffer;
  B.isView = ArrayBuffer.isView;
  B.abSlice = ArrayBuffer.prototype.slice;
  B.abTransfer = ArrayBuffer.prototype.transfer;
  B.abByteLength = getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength").get;
  B.abDetached = getOwnPropertyDescriptor(ArrayBuffer.prototype, "detached").get;
  B.Uint8Array = Uint8Array;
  B.u8Set = Uint8Array.prototype.set;
  B.u8Subarray = Uint8Array.prototype.subarray;
  B.taName = getOwnPropertyDescriptor(TypedArrayProto, Symbol.toStringTag).get;
  B.taLength = getOwnPropertyDescriptor(TypedArrayProto, "length").get;
  B.DataView = DataView;
  const typedArrays = create(null);
  typedArrays.Int8Array = Int8Array; typedArrays.Uint8Array = Uint8Array;
  typedArrays.Uint8ClampedArray = Uint8ClampedArray; typedArrays.Int16Array = Int16Array;
  typedArrays.Uint16Array = Uint16Array; typedArrays.Int32Array = Int32Array;
  typedArrays.Uint32Array = Uint32Array; typedArrays.Float32Array = Float32Array;
  typedArrays.Float64Array = Float64Array; typedArrays.BigInt64Array = BigInt64Array;
  typedArrays.BigUint64Array = BigUint64Array;
  if (typeof Float16Array === "function") typedArrays.Float16Array = Float16Array;
  B.typedArrays = typedArrays;
  B.WeakMap = WeakMap;
  B.wmGet = WeakMap.prototype.get;
  B.wmSet = WeakMap.prototype.set;
  B.wmHas = WeakMap.prototype.has;
  B.FinalizationRegistry = typeof FinalizationRegistry === "function" ? FinalizationRegistry : null;
  B.frRegister = B.FinalizationRegistry && FinalizationRegistry.prototype.register;
  B.frUnregister = B.FinalizationRegistry && FinalizationRegistry.prototype.unregister;
  B.AsyncIteratorPrototype = getPrototypeOf(getPrototypeOf(async function* () {}).prototype);

  const GLOBALS = [
    "ByteLengthQueuingStrategy", "CountQueuingStrategy",
    "ReadableStream", "ReadableStreamDefaultReader", "ReadableStreamDefaultController",
    "ReadableStreamBYOBReader", "ReadableByteStreamController", "ReadableStreamBYOBRequest",
    "WritableStream", "WritableStreamDefaultWriter", "WritableStreamDefaultController",
    "TransformStream", "TransformStreamDefaultController",
    "TextEncoderStream", "TextDecoderStream", "CompressionStream", "DecompressionStream",
  ];
  // web/streams/ files (their names give the dependency order); each is `function (hooks, S, B)`.
  const loadBundle = hooks.loadBundle;
  const S = create(null); // the internal namespace the lazy files fill
  let loaded = false;
  function loadStreams() {
    if (!loaded) {
      loaded = true;
      loadBundle("streams", S, B);
    }
    return S;
  }
  // The globals exist from the start as web-core's lazy accessors (hooks.lazyGlobals,
  // web/00-lazy.js); the first read loads the classes, which the lazy files hand
  // over through S.defineGlobal.
  const exported = create(null);
  S.defineGlobal = (name, value) => { exported[name] = value; };
  S.internal = hooks.internal; // web-core's originals: DOMException, AbortSignal, TextDecoder
  hooks.lazyGlobals(GLOBALS, () => {
    loadStreams();
    return exported;
  });

  // The glue's view of streams (web-fetch's Response/Request bodies, the dispatcher):
  //   isReadableStream(x)      true for a ReadableStream (never loads: none exists before)
  //   load()                   the internal namespace S (docs/streams.md, "Internal API")
  //   reader(stream)           lock `stream`; {read(onChunk, onClose, onError), cancel(reason)
  //                            -> promise, release()} over internal read requests: no promise,
  //                            then or iterator a handler could have replaced is involved
  //   fromBytes(bytes)         a byte ReadableStream that yields `bytes` (request.body)
  //   tee(stream)              [branch1, branch2], chunks structured-cloned for branch2
  //                            (the Fetch standard's clone() of a body)
  //   unusable(stream)         locked or disturbed: cannot become a new body
  //   disturbed(stream)        read from or cancelled (a body's bodyUsed)
  hooks.streams = Object.freeze({
    isReadableStream: (value) => loaded && S.slotOf(value, "ReadableStream") !== undefined,
    load: loadStreams,
    reader: (stream) => loadStreams().glueReader(stream),
    fromBytes: (bytes) => loadStreams().glueFromBytes(bytes),
    tee(value) {
      const branches = S.rsTee(S.streamOf(value, "tee"), true);
      return [branches[0].wrapper, branches[1].wrapper];
    },
    unusable(value) { const stream = S.streamOf(value, "body"); return stream.reader !== undefined || stream.disturbed; },
    disturbed: (value) => S.streamOf(value, "body").disturbed,
  });
})
