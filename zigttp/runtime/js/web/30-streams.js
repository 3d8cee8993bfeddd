// The Streams Standard and what stands on it (ReadableStream, WritableStream, TransformStream,
// the queuing strategies, TextEncoderStream/TextDecoderStream, CompressionStream/
// DecompressionStream), loaded on first use: this file runs in every runtime's build and
// only captures builtins and defines lazy globals; the ~80 KB of bytecode in web/streams/
// (compiled once per process, engine.lazy_bytecode) is evaluated the first time handler code
// touches one of the globals or the glue asks for `hooks.streams.load()` (docs/streams.md).
//
// Builtins are captured HERE, at build time, before the handler's top level runs, and handed
// to the lazy code as `B`: code that loads after the handler replaced Promise.prototype.then
// or Object.create still uses the originals.
//
// Until it loads, each global is an accessor (get loads and returns the class; set replaces
// it with a plain data property like any global assignment); loading redefines them as the
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
  B.queueMicrotask = typeof queueMicrotask === "function" ? queueMicrotask : null;
  B.AsyncIteratorPrototype = getPrototypeOf(getPrototypeOf(async function* () {}).prototype);

  const GLOBALS = [
    "ByteLengthQueuingStrategy", "CountQueuingStrategy",
    "ReadableStream", "ReadableStreamDefaultReader", "ReadableStreamDefaultController",
    "ReadableStreamBYOBReader", "ReadableByteStreamController", "ReadableStreamBYOBRequest",
    "WritableStream", "WritableStreamDefaultWriter", "WritableStreamDefaultController",
    "TransformStream", "TransformStreamDefaultController",
    "TextEncoderStream", "TextDecoderStream", "CompressionStream", "DecompressionStream",
  ];
  const evalBytecode = hooks.evalBytecode, native = hooks.native;
  const S = create(null); // the internal namespace every web/streams/ file fills
  let loaded = false;
  function load() {
    if (!loaded) {
      loaded = true;
      const scripts = native("web.bytecode", "streams");
      for (let i = 0; i < scripts.length; i++) evalBytecode(scripts[i])(hooks, S, B);
    }
    return S;
  }
  const accessors = create(null);
  // Loading defines a global only where our accessor still stands (a handler's own
  // `globalThis.ReadableStream = X` before first use wins, as it would without laziness).
  S.defineGlobal = function (name, value) {
    const current = getOwnPropertyDescriptor(globalThis, name);
    if (current !== undefined && current.get !== accessors[name]) return;
    defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  };
  for (let i = 0; i < GLOBALS.length; i++) {
    const name = GLOBALS[i];
    const get = function () {
      load();
      const desc = getOwnPropertyDescriptor(globalThis, name);
      return desc === undefined ? undefined : desc.get === get ? undefined : desc.value;
    };
    accessors[name] = get;
    const set = function (value) {
      defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
    };
    defineProperty(globalThis, name, { get, set, configurable: true, enumerable: false });
  }

  // The glue's view of streams (web-fetch's Response/Request bodies, the dispatcher):
  //   isReadableStream(x)      true for a ReadableStream (never loads: none exists before)
  //   load()                   the internal namespace S (docs/streams.md, "Internal API")
  //   reader(stream)           lock `stream`; {read(onChunk, onClose, onError), cancel(reason)
  //                            -> promise, release()} over internal read requests: no promise,
  //                            then or iterator a handler could have replaced is involved
  //   fromBytes(bytes, hwm)    a byte ReadableStream that yields `bytes` (request.body)
  hooks.streams = Object.freeze({
    isReadableStream: (value) => loaded && S.slotOf(value, "ReadableStream") !== undefined,
    load,
    reader: (stream) => load().glueReader(stream),
    fromBytes: (bytes, highWaterMark) => load().glueFromBytes(bytes, highWaterMark),
  });
})
