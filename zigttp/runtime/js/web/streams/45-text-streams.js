// TextEncoderStream and TextDecoderStream (Encoding Standard §7) over the engine's UTF-8
// hooks. The encoder holds a trailing lead surrogate until the next chunk; the decoder holds
// the bytes of a code point split across chunks (at most 3) in a carry buffer, so each
// hook call decodes only whole sequences. Other encodings go to TextDecoder when it exists.
(function (hooks, S, B) {
  "use strict";
  const { TypeError: TypeErrorCtor, slot, apply } = S;
  const utf8Encode = hooks.utf8Encode, utf8Decode = hooks.utf8Decode;
  const Uint8ArrayCtor = B.Uint8Array;
  const StringCtor = B.String;
  const sCharCodeAt = B.sCharCodeAt, sSlice = B.sSlice;
  const sTrim = B.sTrim, sLower = B.sToLowerCase;
  const u8Set = B.u8Set;
  const u8Subarray = B.u8Subarray;
  const subarray = (bytes, start, end) => apply(u8Subarray, bytes, [start, end]);
  const UTF8_LABELS = B.create(null);
  UTF8_LABELS["unicode-1-1-utf-8"] = UTF8_LABELS.unicode11utf8 = UTF8_LABELS.unicode20utf8 = true;
  UTF8_LABELS["utf-8"] = UTF8_LABELS.utf8 = UTF8_LABELS["x-unicode20utf8"] = true;

  function bytesOf(chunk, what) {
    if (chunk instanceof S.ArrayBuffer) return new Uint8ArrayCtor(chunk);
    if (S.isView(chunk)) return new Uint8ArrayCtor(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    throw new TypeErrorCtor(what + ": the chunk must be an ArrayBuffer or ArrayBufferView");
  }
  S.bytesOf = bytesOf;
  function concat(a, b) {
    const out = new Uint8ArrayCtor(a.length + b.length);
    apply(u8Set, out, [a, 0]);
    apply(u8Set, out, [b, a.length]);
    return out;
  }

  // --- TextEncoderStream ---
  function encoderTransform(state) {
    return (chunk, c) => {
      let text = state.pending + StringCtor(chunk);
      state.pending = "";
      const last = apply(sCharCodeAt, text, [text.length - 1]);
      if (last >= 0xd800 && last <= 0xdbff) {
        state.pending = apply(sSlice, text, [-1]);
        text = apply(sSlice, text, [0, -1]);
      }
      if (text.length > 0) S.tsdcEnqueue(c, new Uint8ArrayCtor(utf8Encode(text)));
    };
  }
  class TextEncoderStream {
    constructor() {
      const state = B.create(null);
      state.kind = "TextEncoderStream";
      state.pending = "";
      state.transform = S.createTransformStream(encoderTransform(state), (c) => {
        if (state.pending !== "") S.tsdcEnqueue(c, new Uint8ArrayCtor(utf8Encode("\ufffd")));
      });
      this[S.SLOT] = state;
    }
    get encoding() { slot(this, "TextEncoderStream", "TextEncoderStream", "encoding"); return "utf-8"; }
    get readable() { return slot(this, "TextEncoderStream", "TextEncoderStream", "readable").transform.readable.wrapper; }
    get writable() { return slot(this, "TextEncoderStream", "TextEncoderStream", "writable").transform.writable.wrapper; }
  }

  // --- TextDecoderStream ---
  // Where the last complete UTF-8 sequence ends: a trailing lead byte with fewer continuation
  // bytes than it announces is carried to the next chunk.
  function completeLength(bytes) {
    const n = bytes.length;
    let i = n - 1;
    while (i >= 0 && i > n - 4 && (bytes[i] & 0xc0) === 0x80) i--;
    if (i < 0) return n;
    const lead = bytes[i];
    const need = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 1;
    return n - i < need ? i : n;
  }
  // The WHATWG UTF-8 decoder's validity rules, for fatal mode (the hook replaces silently).
  function validUtf8(bytes) {
    for (let i = 0; i < bytes.length;) {
      const b = bytes[i];
      if (b < 0x80) { i++; continue; }
      let need, lo = 0x80, hi = 0xbf;
      if (b >= 0xc2 && b <= 0xdf) need = 1;
      else if (b >= 0xe0 && b <= 0xef) { need = 2; if (b === 0xe0) lo = 0xa0; if (b === 0xed) hi = 0x9f; }
      else if (b >= 0xf0 && b <= 0xf4) { need = 3; if (b === 0xf0) lo = 0x90; if (b === 0xf4) hi = 0x8f; }
      else return false;
      if (i + need >= bytes.length) return false;
      const second = bytes[i + 1];
      if (second < lo || second > hi) return false;
      for (let k = 2; k <= need; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return false;
      i += need + 1;
    }
    return true;
  }
  function decodeBytes(state, bytes) {
    if (state.fatal && !validUtf8(bytes)) throw new TypeErrorCtor("TextDecoderStream: the data is not valid UTF-8");
    const text = utf8Decode(bytes, state.seenBytes || state.ignoreBOM); // a BOM only leads the stream
    state.seenBytes = true;
    return text;
  }
  function decoderTransform(state) {
    return (chunk, c) => {
      let bytes = bytesOf(chunk, "TextDecoderStream");
      if (state.other !== undefined) {
        const text = state.other.decode(bytes, { stream: true });
        if (text.length > 0) S.tsdcEnqueue(c, text);
        return;
      }
      if (state.carry.length > 0) bytes = concat(state.carry, bytes);
      const cut = completeLength(bytes);
      state.carry = new Uint8ArrayCtor(subarray(bytes, cut, bytes.length));
      if (cut === 0) return;
      const text = decodeBytes(state, subarray(bytes, 0, cut));
      if (text.length > 0) S.tsdcEnqueue(c, text);
    };
  }
  function decoderFlush(state) {
    return (c) => {
      if (state.other !== undefined) {
        const text = state.other.decode();
        if (text.length > 0) S.tsdcEnqueue(c, text);
        return;
      }
      if (state.carry.length === 0) return;
      if (state.fatal) throw new TypeErrorCtor("TextDecoderStream: the data ends inside a UTF-8 sequence");
      S.tsdcEnqueue(c, decodeBytes(state, state.carry));
    };
  }
  class TextDecoderStream {
    constructor(label = "utf-8", options = undefined) {
      const dict = S.requireObjectOrUndefined(options, "TextDecoderStream: options");
      const state = B.create(null);
      state.kind = "TextDecoderStream";
      state.fatal = dict !== undefined && !!dict.fatal;
      state.ignoreBOM = dict !== undefined && !!dict.ignoreBOM;
      state.carry = new Uint8ArrayCtor(0);
      state.seenBytes = false;
      const name = apply(sLower, apply(sTrim, StringCtor(label), []), []);
      if (UTF8_LABELS[name] === true) {
        state.encoding = "utf-8";
      } else {
        // Other encodings: web-core's TextDecoder (a RangeError for a label it does not know).
        state.other = new (S.internal("TextDecoder"))(label, { fatal: state.fatal, ignoreBOM: state.ignoreBOM });
        state.encoding = state.other.encoding;
      }
      state.transform = S.createTransformStream(decoderTransform(state), decoderFlush(state));
      this[S.SLOT] = state;
    }
    get encoding() { return slot(this, "TextDecoderStream", "TextDecoderStream", "encoding").encoding; }
    get fatal() { return slot(this, "TextDecoderStream", "TextDecoderStream", "fatal").fatal; }
    get ignoreBOM() { return slot(this, "TextDecoderStream", "TextDecoderStream", "ignoreBOM").ignoreBOM; }
    get readable() { return slot(this, "TextDecoderStream", "TextDecoderStream", "readable").transform.readable.wrapper; }
    get writable() { return slot(this, "TextDecoderStream", "TextDecoderStream", "writable").transform.writable.wrapper; }
  }

  S.idlClass(TextEncoderStream, "TextEncoderStream");
  S.idlClass(TextDecoderStream, "TextDecoderStream");
  S.defineGlobal("TextEncoderStream", TextEncoderStream);
  S.defineGlobal("TextDecoderStream", TextDecoderStream);
})
