// Blob and File (W3C File API), loaded on first use by web/blob.js (which captured the
// builtins used here, `P`, before handler code ran). A Blob's bytes are a private field:
// immutable after construction, shared (not copied) by slice() views of the same bytes.
// `hooks.webBlob` gives FormData and fetch's body mixin the bytes without a copy.
(function (hooks) {
  "use strict";
  const P = hooks.webFilePrimordials;
  const { Uint8ArrayCtor, ArrayBufferCtor, isView, TypeErrorCtor, StringCtor, NumberCtor, MathMax, MathMin,
    MathTrunc, isFinite, dateNow, freeze, defineProperty, taSubarray, taSet, abSlice, reTest, sReplace, sLower,
    toWellFormed, call, toStringTag } = P;
  const utf8Encode = hooks.utf8Encode, utf8Decode = hooks.utf8Decode;
  const PRINTABLE = P.pinned(/^[\x20-\x7e]*$/), NEWLINES = P.pinned(/\r\n|\r|\n/g);

  // The Blob `type` rule: printable ASCII, lower-cased; anything else is "".
  function normalizeType(value) {
    const text = StringCtor(value);
    return call(reTest, PRINTABLE, text) ? call(sLower, text) : "";
  }
  // WebIDL order: the parts are converted (strings stringified, buffers copied) before the
  // options are read, and the options in lexicographic order (endings, then type).
  function partOf(part) {
    if (part instanceof Blob) return bytesOf(part);
    if (part instanceof ArrayBufferCtor) return new Uint8ArrayCtor(call(abSlice, part, 0));
    if (isView(part)) {
      if (part.byteLength === 0) return new Uint8ArrayCtor(0);
      return new Uint8ArrayCtor(call(abSlice, part.buffer, part.byteOffset, part.byteOffset + part.byteLength));
    }
    return StringCtor(part);
  }
  function partsOf(parts) {
    const out = [];
    if (parts === undefined) return out;
    if (parts === null || (typeof parts !== "object" && typeof parts !== "function")) {
      throw new TypeErrorCtor("Blob: blobParts must be a sequence (an array or other iterable)");
    }
    for (const part of parts) out[out.length] = partOf(part);
    return out;
  }
  function endingsOf(options) {
    const endings = options.endings === undefined ? "transparent" : StringCtor(options.endings);
    if (endings !== "transparent" && endings !== "native") {
      throw new TypeErrorCtor("Blob: endings must be 'transparent' or 'native'");
    }
    return endings;
  }
  function join(parts, endings) {
    let total = 0;
    for (let i = 0; i < parts.length; i++) {
      if (typeof parts[i] === "string") {
        parts[i] = new Uint8ArrayCtor(utf8Encode(endings === "native" ? call(sReplace, parts[i], NEWLINES, "\n") : parts[i]));
      }
      total += parts[i].length;
    }
    const out = new Uint8ArrayCtor(total);
    for (let i = 0, at = 0; i < parts.length; at += parts[i].length, i++) call(taSet, out, parts[i], at);
    return out;
  }
  function optionsOf(options, what) {
    if (options === undefined || options === null) return {};
    if (typeof options !== "object" && typeof options !== "function") {
      throw new TypeErrorCtor(what + ": options must be an object");
    }
    return options;
  }
  // WebIDL's [Clamp] long long: rounded to the nearest integer, ties to even (1.5 → 2, 2.5 → 2).
  function relative(value, size) {
    let n = NumberCtor(value);
    if (n !== n) n = 0;
    else if (isFinite(n)) {
      const floor = MathTrunc(n) - (n < 0 && n !== MathTrunc(n) ? 1 : 0), diff = n - floor;
      n = diff > 0.5 || (diff === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
    }
    return n < 0 ? MathMax(size + n, 0) : MathMin(n, size);
  }

  let bytesOf;
  let pendingType = null; // slice() hands a constructed Blob its bytes and type through here
  class Blob {
    #bytes;
    #type;
    constructor(blobParts = undefined, options = undefined) {
      if (pendingType !== null) {
        this.#bytes = pendingType[0];
        this.#type = pendingType[1];
        pendingType = null;
        return;
      }
      const parts = partsOf(blobParts);
      const opts = optionsOf(options, "Blob");
      const endings = endingsOf(opts);
      const type = opts.type;
      this.#type = type === undefined ? "" : normalizeType(type);
      this.#bytes = join(parts, endings);
    }
    get size() { return this.#bytes.length; }
    get type() { return this.#type; }
    slice(start = undefined, end = undefined, contentType = undefined) {
      const size = this.#bytes.length;
      const from = start === undefined ? 0 : relative(start, size);
      const to = end === undefined ? size : relative(end, size);
      pendingType = [call(taSubarray, this.#bytes, from, MathMax(from, to)),
        contentType === undefined ? "" : normalizeType(contentType)];
      return new Blob();
    }
    async text() { return utf8Decode(this.#bytes); }
    async arrayBuffer() { return call(abSlice, this.#bytes.buffer, this.#bytes.byteOffset, this.#bytes.byteOffset + this.#bytes.length); }
    async bytes() { return new Uint8ArrayCtor(await this.arrayBuffer()); }
    // A byte stream (the standard's), so a BYOB reader works too.
    stream() { return hooks.streams.fromBytes(new Uint8ArrayCtor(this.#bytes)); }
    static {
      bytesOf = (blob) => blob.#bytes;
    }
  }
  defineProperty(Blob.prototype, toStringTag, { value: "Blob", configurable: true });

  class File extends Blob {
    #name;
    #lastModified;
    constructor(fileBits, fileName, options = undefined) {
      if (arguments.length < 2) throw new TypeErrorCtor("File: fileBits and fileName are required");
      const opts = optionsOf(options, "File");
      super(fileBits, opts);
      this.#name = call(toWellFormed, StringCtor(fileName));
      const modified = opts.lastModified;
      const value = modified === undefined ? dateNow() : NumberCtor(modified);
      this.#lastModified = isFinite(value) ? MathTrunc(value) : 0;
    }
    get name() { return this.#name; }
    get lastModified() { return this.#lastModified; }
  }
  defineProperty(File.prototype, toStringTag, { value: "File", configurable: true });

  // For FormData and the body mixin: a Blob's bytes (read-only by convention: never write
  // into them), or a new Blob/File over bytes the caller will not touch again.
  hooks.webBlobImpl = freeze({ __proto__: null, Blob, File, bytesOf: (blob) => bytesOf(blob),
    isBlob: (value) => value instanceof Blob,
    blob(bytes, type) { pendingType = [bytes, normalizeType(type)]; return new Blob(); } });
})
