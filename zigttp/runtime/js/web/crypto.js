// Crypto (WebCrypto §10): crypto.getRandomValues, crypto.randomUUID (random bytes from the
// host's CSPRNG) and crypto.subtle (crypto-5-subtle.js; SubtleCrypto and CryptoKey live in
// the crypto-*.js files before this one).
(function (hooks) {
  "use strict";
  const native = hooks.native;
  const Uint8ArrayCtor = Uint8Array;
  const isView = ArrayBuffer.isView;
  const TypeErrorCtor = TypeError;
  const Float16ArrayCtor = typeof Float16Array === "function" ? Float16Array : Float32Array;
  const subtle = hooks.webCryptoSubtle, domError = hooks.webCrypto.domError;
  let brand = null;
  function checkThis(self) { if (self !== brand) throw new TypeErrorCtor("Illegal invocation"); }
  function getRandomValues(array) {
    checkThis(this);
    if (!isView(array) || array instanceof Float16ArrayCtor || array instanceof Float32Array || array instanceof Float64Array || array instanceof DataView) {
      throw domError("TypeMismatchError", "crypto.getRandomValues: argument must be an integer TypedArray");
    }
    if (array.byteLength > 65536) {
      throw domError("QuotaExceededError", "crypto.getRandomValues: at most 65536 bytes per call");
    }
    const bytes = new Uint8ArrayCtor(native("random.bytes", array.byteLength));
    new Uint8ArrayCtor(array.buffer, array.byteOffset, array.byteLength).set(bytes);
    return array;
  }
  const HEX = [];
  for (let i = 0; i < 256; i++) HEX[i] = (i + 0x100).toString(16).slice(1);
  function randomUUID() {
    checkThis(this);
    const b = new Uint8ArrayCtor(native("random.bytes", 16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    return HEX[b[0]] + HEX[b[1]] + HEX[b[2]] + HEX[b[3]] + "-" + HEX[b[4]] + HEX[b[5]] + "-" +
      HEX[b[6]] + HEX[b[7]] + "-" + HEX[b[8]] + HEX[b[9]] + "-" + HEX[b[10]] + HEX[b[11]] +
      HEX[b[12]] + HEX[b[13]] + HEX[b[14]] + HEX[b[15]];
  }
  function Crypto() { throw new TypeErrorCtor("Illegal constructor"); }
  const proto = Crypto.prototype;
  const define = (name, value) => Object.defineProperty(proto, name, { value, writable: true, enumerable: true,
    configurable: true });
  define("getRandomValues", getRandomValues);
  define("randomUUID", randomUUID);
  Object.defineProperty(proto, "subtle", { get: function subtle_() { checkThis(this); return subtle; },
    enumerable: true, configurable: true });
  Object.defineProperty(proto, Symbol.toStringTag, { value: "Crypto", configurable: true });
  brand = Object.create(proto);
  Object.defineProperty(globalThis, "Crypto", { value: Crypto, writable: true, configurable: true });
  Object.defineProperty(globalThis, "crypto", { value: brand, writable: true, configurable: true });
})
