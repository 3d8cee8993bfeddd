// crypto.getRandomValues and crypto.randomUUID (WebCrypto), the random bytes from the host.
// More of `crypto` (subtle) belongs here; the DOMException mapping lives with DOMException.
(function (hooks) {
  "use strict";
  const native = hooks.native;
  const Uint8ArrayCtor = Uint8Array;
  const isView = ArrayBuffer.isView;
  const TypeErrorCtor = TypeError;
  function getRandomValues(array) {
    if (!isView(array) || array instanceof Float32Array || array instanceof Float64Array || array instanceof DataView) {
      throw new TypeErrorCtor("crypto.getRandomValues: argument must be an integer TypedArray");
    }
    const bytes = new Uint8ArrayCtor(native("random.bytes", array.byteLength));
    new Uint8ArrayCtor(array.buffer, array.byteOffset, array.byteLength).set(bytes);
    return array;
  }
  const HEX = [];
  for (let i = 0; i < 256; i++) HEX[i] = (i + 0x100).toString(16).slice(1);
  function randomUUID() {
    const b = new Uint8ArrayCtor(native("random.bytes", 16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    return HEX[b[0]] + HEX[b[1]] + HEX[b[2]] + HEX[b[3]] + "-" + HEX[b[4]] + HEX[b[5]] + "-" +
      HEX[b[6]] + HEX[b[7]] + "-" + HEX[b[8]] + HEX[b[9]] + "-" + HEX[b[10]] + HEX[b[11]] +
      HEX[b[12]] + HEX[b[13]] + HEX[b[14]] + HEX[b[15]];
  }
  const crypto = Object.freeze({ getRandomValues, randomUUID });
  Object.defineProperty(globalThis, "crypto", { value: crypto, writable: true, configurable: true });
})
