// CryptoKey (WebCrypto §13) and the shared helpers of crypto.subtle.
//
// A key's material (raw bytes of a secret key, DER of an asymmetric one) lives only in the
// `slots` WeakMap of this closure: handler code sees type/extractable/algorithm/usages and
// gets bytes back only through subtle.exportKey of an extractable key. The other crypto
// files reach these helpers through `hooks.webCrypto` (the hooks object never leaves the
// web files' closures), never through a global.
(function (hooks) {
  "use strict";
  // This file runs on first use, after handler code: every builtin comes from the snapshot
  // crypto.js took at load (hooks.webPrimordials), never from a global the handler may have
  // replaced by then.
  const P = hooks.webPrimordials, shell = hooks.webCryptoShell;
  const call = P.call;
  const WeakMapCtor = P.WeakMap, wmGet = P.wmGet, wmSet = P.wmSet, wmHas = P.wmHas;
  const objectCreate = P.create, defineProperty = P.defineProperty, freeze = P.freeze, objectKeys = P.keys;
  const TypeErrorCtor = P.TypeError;
  const Uint8ArrayCtor = P.Uint8Array, ArrayBufferCtor = P.ArrayBuffer, isView = P.isView, DataViewCtor = P.DataView;
  const abSlice = P.abSlice, taBuffer = P.taBuffer, abByteLength = P.abByteLength;
  const slots = new WeakMapCtor();
  const domError = shell.domError;
  const DOM_NAMES = freeze({ __proto__: null, NotSupportedError: 1, DataError: 1, InvalidAccessError: 1,
    OperationError: 1, SyntaxError: 1, QuotaExceededError: 1 });
  // A native call whose Python side raised NativeError("DataError", ...) throws an Error named
  // so; turn it into the DOMException the standard names.
  const hostNative = hooks.native, reflectApply = P.apply, setPrototypeOf = P.setPrototypeOf;
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
      const buffer = value instanceof DataViewCtor ? value.buffer : call(taBuffer, value);
      const start = value.byteOffset;
      return new Uint8ArrayCtor(call(abSlice, buffer, start, start + value.byteLength));
    }
    throw new TypeErrorCtor(what + " is not a BufferSource (an ArrayBuffer or a view of one)");
  }
  function byteLength(buffer) { return call(abByteLength, buffer); }

  const proto = shell.CryptoKeyProto; // CryptoKey's getters (crypto.js) call read() below
  function slotsOf(key, what) {
    if (key === null || typeof key !== "object" || !call(wmHas, slots, key)) {
      throw new TypeErrorCtor((what || "key") + " is not a CryptoKey");
    }
    return call(wmGet, slots, key);
  }
  const FIELDS = { __proto__: null, type: "type", extractable: "extractable", algorithm: "algorithmView",
    usages: "usagesView" };
  function read(key, field) { return slotsOf(key, "this")[FIELDS[field]]; }

  // A deep copy of an algorithm dictionary, so what a handler does to key.algorithm (say
  // key.algorithm.hash.name = "SHA-1") never reaches the record the operations read.
  function cloneAlgorithm(algorithm) {
    const out = {};
    const names = objectKeys(algorithm);
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

  hooks.webCrypto = freeze({ __proto__: null, native, domError, bytesOf, byteLength, slotsOf, makeKey, read });
})
