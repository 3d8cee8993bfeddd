// CryptoKey (WebCrypto §13) and the shared helpers of crypto.subtle.
//
// A key's material (raw bytes of a secret key, DER of an asymmetric one) lives only in the
// `slots` WeakMap of this closure: handler code sees type/extractable/algorithm/usages and
// gets bytes back only through subtle.exportKey of an extractable key. The other crypto
// files reach these helpers through `hooks.webCrypto` (the hooks object never leaves the
// web files' closures), never through a global.
(function (hooks) {
  "use strict";
  const fnCall = Function.prototype.call;
  const call = fnCall.bind(fnCall);
  const WeakMapCtor = WeakMap, wmGet = WeakMap.prototype.get, wmSet = WeakMap.prototype.set;
  const wmHas = WeakMap.prototype.has;
  const objectCreate = Object.create, defineProperty = Object.defineProperty, freeze = Object.freeze;
  const TypeErrorCtor = TypeError, ErrorCtor = Error, StringCtor = String;
  const Uint8ArrayCtor = Uint8Array, ArrayBufferCtor = ArrayBuffer, isView = ArrayBuffer.isView;
  const abSlice = ArrayBuffer.prototype.slice;
  const taBuffer = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), "buffer").get;
  const abByteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength").get;
  const global = globalThis;
  const slots = new WeakMapCtor();

  // DOMException comes from web-core's file (whichever loads first); until it exists an
  // Error named like the DOMException stands in.
  let DOMExceptionCtor = null;
  function domError(name, message) {
    if (DOMExceptionCtor === null && typeof global.DOMException === "function") DOMExceptionCtor = global.DOMException;
    if (DOMExceptionCtor !== null) return new DOMExceptionCtor(message, name);
    const error = new ErrorCtor(message);
    defineProperty(error, "name", { value: name, writable: true, configurable: true });
    return error;
  }
  const DOM_NAMES = freeze({ __proto__: null, NotSupportedError: 1, DataError: 1, InvalidAccessError: 1,
    OperationError: 1, SyntaxError: 1, QuotaExceededError: 1 });
  // A native call whose Python side raised NativeError("DataError", ...) throws an Error named
  // so; turn it into the DOMException the standard names.
  const hostNative = hooks.native, reflectApply = Reflect.apply, setPrototypeOf = Object.setPrototypeOf;
  function native(name, ...args) {
    const list = setPrototypeOf([name], null); // no Array.prototype setters or iterator on the way
    for (let i = 0; i < args.length; i++) list[i + 1] = args[i];
    try {
      return reflectApply(hostNative, undefined, list);
    } catch (error) {
      if (error !== null && typeof error === "object" && DOM_NAMES[error.name] === 1) {
        throw domError(error.name, error.message);
      }
      throw error;
    }
  }

  // BufferSource → a Uint8Array over a private copy (the standard copies the caller's bytes).
  // A detached buffer (transfer()) reads as empty, as the standard's "get a copy" says.
  function bytesOf(value, what) {
    if (value instanceof ArrayBufferCtor) {
      return call(abByteLength, value) === 0 ? new Uint8ArrayCtor(0) : new Uint8ArrayCtor(call(abSlice, value, 0));
    }
    if (isView(value)) {
      if (value.byteLength === 0) return new Uint8ArrayCtor(0);
      const buffer = value instanceof DataView ? value.buffer : call(taBuffer, value);
      const start = value.byteOffset;
      return new Uint8ArrayCtor(call(abSlice, buffer, start, start + value.byteLength));
    }
    throw new TypeErrorCtor(what + " is not a BufferSource (an ArrayBuffer or a view of one)");
  }
  function byteLength(buffer) { return call(abByteLength, buffer); }

  function CryptoKey() { throw new TypeErrorCtor("Illegal constructor"); }
  const proto = CryptoKey.prototype;
  function slotsOf(key, what) {
    if (key === null || typeof key !== "object" || !call(wmHas, slots, key)) {
      throw new TypeErrorCtor((what || "key") + " is not a CryptoKey");
    }
    return call(wmGet, slots, key);
  }
  function getter(name, read) {
    defineProperty(proto, name, { get: { [name]() { return read(slotsOf(this, "this")); } }[name],
      enumerable: true, configurable: true });
  }
  getter("type", (s) => s.type);
  getter("extractable", (s) => s.extractable);
  getter("algorithm", (s) => s.algorithmView);
  getter("usages", (s) => s.usagesView);
  defineProperty(proto, Symbol.toStringTag, { value: "CryptoKey", configurable: true });

  // A deep copy of an algorithm dictionary, so what a handler does to key.algorithm (say
  // key.algorithm.hash.name = "SHA-1") never reaches the record the operations read.
  function cloneAlgorithm(algorithm) {
    const out = {};
    const names = Object.keys(algorithm);
    for (let i = 0; i < names.length; i++) {
      const value = algorithm[names[i]];
      const copy = value instanceof Uint8ArrayCtor ? new Uint8ArrayCtor(value)
        : value !== null && typeof value === "object" ? { name: value.name } : value;
      defineProperty(out, names[i], { value: copy, writable: true, enumerable: true, configurable: true });
    }
    return out;
  }

  // A new CryptoKey. `algorithm` is the public dictionary ({name, length, hash: {name}, ...});
  // `material` is whatever the algorithm's host side needs (bytes or DER), never exposed.
  function makeKey(type, extractable, algorithm, usages, material) {
    const key = objectCreate(proto);
    call(wmSet, slots, key, freeze({ __proto__: null, type, extractable: !!extractable,
      algorithm: freeze(cloneAlgorithm(algorithm)), algorithmView: cloneAlgorithm(algorithm),
      usages: freeze(usages.slice()), usagesView: usages.slice(), material }));
    return key;
  }

  defineProperty(global, "CryptoKey", { value: CryptoKey, writable: true, configurable: true });
  hooks.webCrypto = freeze({ __proto__: null, native, domError, bytesOf, byteLength, slotsOf, makeKey,
    String: StringCtor });
})
