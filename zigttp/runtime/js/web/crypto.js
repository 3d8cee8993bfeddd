// Crypto, SubtleCrypto and CryptoKey (WebCrypto §§ 10, 13, 14): the shells every runtime
// builds. crypto.getRandomValues/randomUUID are here (random bytes from the host's CSPRNG);
// SubtleCrypto's methods and CryptoKey's getters load web/crypto/*.js on first use
// (hooks.loadBundle: bytecode compiled once per process), so a runtime that never touches
// crypto.subtle pays nothing for it. The builtins the lazy files need are captured here,
// at load, before handler code can replace them (hooks.webPrimordials).
(function (hooks) {
  "use strict";
  const native = hooks.native, loadBundle = hooks.loadBundle;
  const fnCall = Function.prototype.call;
  const call = fnCall.bind(fnCall);
  const Uint8ArrayCtor = Uint8Array, TypeErrorCtor = TypeError;
  const isView = ArrayBuffer.isView, defineProperty = Object.defineProperty, freeze = Object.freeze;
  const objectCreate = Object.create, reflectApply = Reflect.apply, promiseReject = Promise.reject.bind(Promise);
  const Float16ArrayCtor = typeof Float16Array === "function" ? Float16Array : Float32Array;
  const taProto = Object.getPrototypeOf(Uint8Array.prototype);
  const sLower = String.prototype.toLowerCase;
  hooks.webPrimordials = freeze({ __proto__: null, call, apply: reflectApply,
    WeakMap, wmGet: WeakMap.prototype.get, wmSet: WeakMap.prototype.set, wmHas: WeakMap.prototype.has,
    create: objectCreate, defineProperty, freeze, keys: Object.keys, setPrototypeOf: Object.setPrototypeOf,
    TypeError: TypeErrorCtor, String, Number, trunc: Math.trunc, isFinite: Number.isFinite,
    Uint8Array: Uint8ArrayCtor, ArrayBuffer, DataView, isView, abSlice: ArrayBuffer.prototype.slice,
    taBuffer: Object.getOwnPropertyDescriptor(taProto, "buffer").get,
    abByteLength: Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength").get,
    lower: (s) => call(sLower, s), jsonStringify: JSON.stringify, jsonParse: JSON.parse });

  // DOMException: web-core's original (hooks.internal), whatever handler code assigned since.
  const Float32ArrayCtor = Float32Array, Float64ArrayCtor = Float64Array, DataViewCtor = DataView;
  const toStringTag = Symbol.toStringTag;
  function domError(name, message) {
    const Ctor = hooks.internal("DOMException");
    return new Ctor(message, name);
  }

  function define(target, name, value) {
    defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true });
  }
  function tag(proto, name) { defineProperty(proto, toStringTag, { value: name, configurable: true }); }
  function illegal() { throw new TypeErrorCtor("Illegal constructor"); }

  // The four globals are declared with web-core's hooks.lazyGlobals: their classes are built
  // when handler code first reads one; the algorithms load later still, on the first call.
  hooks.lazyGlobals(["Crypto", "CryptoKey", "SubtleCrypto", "crypto"], install);
  function install() {
    // CryptoKey: its getters read the lazily built key records.
    function CryptoKey() { illegal(); }
    const keyProto = CryptoKey.prototype;
    const FIELDS = ["type", "extractable", "algorithm", "usages"];
    for (let i = 0; i < FIELDS.length; i++) {
      const field = FIELDS[i];
      defineProperty(keyProto, field, { enumerable: true, configurable: true,
        get: { [field]() { return lazy().key.read(this, field); } }[field] });
    }
    tag(keyProto, "CryptoKey");

    // SubtleCrypto: each method forwards to its lazily loaded implementation (an async
    // function, so a failure to load is a rejected promise too).
    function SubtleCrypto() { illegal(); }
    const subtleProto = SubtleCrypto.prototype;
    const subtle = objectCreate(subtleProto);
    const METHODS = [["encrypt", 3], ["decrypt", 3], ["sign", 3], ["verify", 4], ["digest", 2], ["generateKey", 3],
      ["deriveKey", 5], ["deriveBits", 2], ["importKey", 5], ["exportKey", 2], ["wrapKey", 4], ["unwrapKey", 7]];
    for (let i = 0; i < METHODS.length; i++) {
      const name = METHODS[i][0];
      const method = { [name](...args) {
        try {
          return reflectApply(lazy().subtle[name], this, args);
        } catch (error) {
          return promiseReject(error);
        }
      } }[name];
      defineProperty(method, "length", { value: METHODS[i][1], configurable: true });
      define(subtleProto, name, method);
    }
    tag(subtleProto, "SubtleCrypto");

    let loaded = null;
    function lazy() {
      if (loaded === null) {
        hooks.webCryptoShell = freeze({ __proto__: null, CryptoKeyProto: keyProto, subtle, domError });
        loadBundle("crypto"); // web/crypto/*.js
        loaded = freeze({ __proto__: null, key: hooks.webCrypto, subtle: hooks.webCryptoSubtle });
      }
      return loaded;
    }

    let brand = null;
    function checkThis(self) { if (self !== brand) throw new TypeErrorCtor("Illegal invocation"); }
    function getRandomValues(array) {
      checkThis(this);
      if (!isView(array) || array instanceof Float16ArrayCtor || array instanceof Float32ArrayCtor ||
          array instanceof Float64ArrayCtor || array instanceof DataViewCtor) {
        throw domError("TypeMismatchError", "crypto.getRandomValues: argument must be an integer TypedArray");
      }
      if (array.byteLength > 65536) {
        throw domError("QuotaExceededError", "crypto.getRandomValues: at most 65536 bytes per call");
      }
      const bytes = new Uint8ArrayCtor(native("random.bytes", array.byteLength));
      new Uint8ArrayCtor(array.buffer, array.byteOffset, array.byteLength).set(bytes);
      return array;
    }
    let HEX = null; // built on the first randomUUID: 256 strings a runtime may never need
    function randomUUID() {
      checkThis(this);
      if (HEX === null) {
        HEX = [];
        for (let i = 0; i < 256; i++) HEX[i] = (i + 0x100).toString(16).slice(1);
      }
      const b = new Uint8ArrayCtor(native("random.bytes", 16));
      b[6] = (b[6] & 0x0f) | 0x40;
      b[8] = (b[8] & 0x3f) | 0x80;
      return HEX[b[0]] + HEX[b[1]] + HEX[b[2]] + HEX[b[3]] + "-" + HEX[b[4]] + HEX[b[5]] + "-" +
        HEX[b[6]] + HEX[b[7]] + "-" + HEX[b[8]] + HEX[b[9]] + "-" + HEX[b[10]] + HEX[b[11]] +
        HEX[b[12]] + HEX[b[13]] + HEX[b[14]] + HEX[b[15]];
    }
    function Crypto() { illegal(); }
    const cryptoProto = Crypto.prototype;
    define(cryptoProto, "getRandomValues", getRandomValues);
    define(cryptoProto, "randomUUID", randomUUID);
    defineProperty(cryptoProto, "subtle", { get: { subtle() { checkThis(this); return subtle; } }.subtle,
      enumerable: true, configurable: true });
    tag(cryptoProto, "Crypto");
    brand = objectCreate(cryptoProto);
    return { Crypto, CryptoKey, SubtleCrypto, crypto: brand };
  }
})
