// lazy: TextEncoder TextDecoder btoa atob
// TextEncoder, TextDecoder (Encoding Standard), atob and btoa (HTML forgiving-base64).
// UTF-8 runs in C (hooks.utf8Encode / utf8Decode); `fatal` UTF-8, UTF-16 and the legacy
// encodings go to Python's codecs through hooks.native("encoding.*") (zigttp/web/encoding.py).
(function (hooks) {
  "use strict";
  const native = hooks.native, utf8Encode = hooks.utf8Encode, utf8Decode = hooks.utf8Decode;
  const TypeErrorCtor = TypeError, RangeErrorCtor = RangeError;
  const Uint8ArrayCtor = Uint8Array;
  const isView = ArrayBuffer.isView;
  const labels = new Map(); // label → canonical name (null: unknown), asked of the host once

  function bytesOf(input, what) {
    if (input === undefined) return new Uint8ArrayCtor(0);
    if (input instanceof ArrayBuffer || (typeof SharedArrayBuffer === "function" && input instanceof SharedArrayBuffer)) {
      return new Uint8ArrayCtor(input);
    }
    if (isView(input)) return new Uint8ArrayCtor(input.buffer, input.byteOffset, input.byteLength);
    throw new TypeErrorCtor(`${what}: the input must be an ArrayBuffer or an ArrayBufferView`);
  }

  class TextEncoder {
    get encoding() { return "utf-8"; }
    encode(input = "") { return new Uint8ArrayCtor(utf8Encode(String(input))); }
    // UTF-8 bytes of `source` into `destination`, whole code points only.
    encodeInto(source, destination) {
      if (!(destination instanceof Uint8ArrayCtor)) throw new TypeErrorCtor("encodeInto: the destination must be a Uint8Array");
      const text = String(source);
      const room = destination.length;
      let read = 0, written = 0;
      for (let i = 0; i < text.length;) {
        let cp = text.charCodeAt(i), units = 1;
        if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
          const next = text.charCodeAt(i + 1);
          if (next >= 0xdc00 && next <= 0xdfff) { cp = 0x10000 + ((cp - 0xd800) << 10) + (next - 0xdc00); units = 2; }
        }
        if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
        const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        if (written + size > room) break;
        if (size === 1) destination[written] = cp;
        else if (size === 2) { destination[written] = 0xc0 | (cp >> 6); destination[written + 1] = 0x80 | (cp & 63); }
        else if (size === 3) {
          destination[written] = 0xe0 | (cp >> 12); destination[written + 1] = 0x80 | ((cp >> 6) & 63);
          destination[written + 2] = 0x80 | (cp & 63);
        } else {
          destination[written] = 0xf0 | (cp >> 18); destination[written + 1] = 0x80 | ((cp >> 12) & 63);
          destination[written + 2] = 0x80 | ((cp >> 6) & 63); destination[written + 3] = 0x80 | (cp & 63);
        }
        written += size;
        read += units;
        i += units;
      }
      return { read, written };
    }
  }
  Object.defineProperty(TextEncoder.prototype, Symbol.toStringTag, { value: "TextEncoder", configurable: true });

  function canonical(label) {
    const key = String(label);
    if (!labels.has(key)) labels.set(key, native("encoding.label", key));
    return labels.get(key);
  }
  const BOMS = { "UTF-8": 1, "UTF-16LE": 1, "UTF-16BE": 1 };
  function concat(a, b) {
    if (a.length === 0) return b;
    const out = new Uint8ArrayCtor(a.length + b.length);
    out.set(a, 0);
    out.set(b, a.length);
    return out;
  }

  const DECODER = new WeakMap();
  class TextDecoder {
    constructor(label = "utf-8", options = undefined) {
      const name = canonical(label);
      if (name == null || name === "replacement") {
        throw new RangeErrorCtor(`TextDecoder: the encoding label ${JSON.stringify(String(label))} is not supported`);
      }
      const fatal = options !== undefined && options !== null && Boolean(options.fatal);
      const ignoreBOM = options !== undefined && options !== null && Boolean(options.ignoreBOM);
      DECODER.set(this, { name, fatal, ignoreBOM, pending: new Uint8ArrayCtor(0), started: false });
    }
    get encoding() { return state(this).name.toLowerCase(); }
    get fatal() { return state(this).fatal; }
    get ignoreBOM() { return state(this).ignoreBOM; }
    decode(input = undefined, options = undefined) {
      const s = state(this);
      const stream = options !== undefined && options !== null && Boolean(options.stream);
      const bytes = concat(s.pending, bytesOf(input, "TextDecoder.decode").slice());
      s.pending = new Uint8ArrayCtor(0);
      let text;
      // Plain UTF-8 decodes in C; streaming, `fatal`, other encodings, and input the C
      // decoder found invalid (WHATWG's replacement counts need Python's decoder) go to the host.
      text = s.name === "UTF-8" && !s.fatal && !stream ? utf8Decode(bytes, true) : null; // BOM: below
      if (text === null || text.indexOf("\ufffd") >= 0) {
        const answer = native("encoding.decode", s.name, bytes, s.fatal, stream);
        text = answer[0];
        s.pending = new Uint8ArrayCtor(answer[1]);
      }
      if (!s.started && text.length > 0) {
        s.started = true;
        if (!s.ignoreBOM && BOMS[s.name] === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      if (!stream) { s.started = false; s.pending = new Uint8ArrayCtor(0); }
      return text;
    }
  }
  function state(decoder) {
    const s = DECODER.get(decoder);
    if (s === undefined) throw new TypeErrorCtor("TextDecoder: illegal invocation");
    return s;
  }
  Object.defineProperty(TextDecoder.prototype, Symbol.toStringTag, { value: "TextDecoder", configurable: true });

  // ---- base64 -------------------------------------------------------------------------------
  const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const VALUE = new Map();
  for (let i = 0; i < 64; i++) VALUE.set(ALPHABET[i], i);
  function invalid(message) { return new (hooks.internal("DOMException"))(message, "InvalidCharacterError"); }

  function btoa(data) {
    if (arguments.length === 0) throw new TypeErrorCtor("btoa: 1 argument required");
    const text = String(data);
    let out = "";
    for (let i = 0; i < text.length; i += 3) {
      const a = text.charCodeAt(i), b = text.charCodeAt(i + 1), c = text.charCodeAt(i + 2);
      if (a > 255 || b > 255 || c > 255) throw invalid("btoa: the string contains characters outside of Latin1");
      const n = (a << 16) | ((b || 0) << 8) | (c || 0);
      out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] +
        (i + 1 < text.length ? ALPHABET[(n >> 6) & 63] : "=") + (i + 2 < text.length ? ALPHABET[n & 63] : "=");
    }
    return out;
  }
  function atob(data) {
    if (arguments.length === 0) throw new TypeErrorCtor("atob: 1 argument required");
    let text = String(data).replace(/[\t\n\f\r ]/g, "");
    if (text.length % 4 === 0) text = text.replace(/={1,2}$/, "");
    if (text.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(text)) throw invalid("atob: the string is not correctly encoded");
    let out = "", buffer = 0, bits = 0;
    for (let i = 0; i < text.length; i++) {
      buffer = (buffer << 6) | VALUE.get(text[i]);
      bits += 6;
      if (bits >= 8) { bits -= 8; out += String.fromCharCode((buffer >> bits) & 255); }
    }
    return out;
  }
    return { TextEncoder, TextDecoder, btoa, atob };
})
