// FormData (XHR standard §5), loaded on first use by web/blob.js, and the body mixin's
// formData() parsing and multipart
// serialization, for fetch's Request/Response (web-fetch) through `hooks.webForm`:
//   hooks.webForm.parse(contentType, bytes) -> FormData     (TypeError if it cannot parse)
//   hooks.webForm.serialize(formData) -> [contentType, Uint8Array]   (multipart/form-data)
// Parsing is the host's (zigttp/web/form.py: the `multipart` package and urllib.parse).
(function (hooks) {
  "use strict";
  const web = hooks.webBlobImpl, File = web.File;
  const native = hooks.native, utf8Encode = hooks.utf8Encode;
  const P = hooks.webFilePrimordials;
  const { TypeErrorCtor, StringCtor, Uint8ArrayCtor, defineProperty, freeze, objectCreate, taSet, sReplace,
    sSplit, sLower: sToLower, sTrim, call, iteratorProto, toWellFormed, toStringTag, iterator: SymbolIterator,
    WeakMapCtor, wmGet, wmSet } = P;
  const HEX = "0123456789abcdef";
  const USV = (value) => call(toWellFormed, StringCtor(value)); // WebIDL USVString: lone surrogates → U+FFFD

  function entryValue(value, filename, count) {
    if (!web.isBlob(value)) {
      if (count > 2) throw new TypeErrorCtor("FormData: a filename is only allowed with a Blob value");
      return USV(value);
    }
    if (value instanceof File && filename === undefined) return value;
    const name = filename !== undefined ? USV(filename) : value instanceof File ? value.name : "blob";
    const options = { type: value.type };
    if (value instanceof File) options.lastModified = value.lastModified;
    return new File([value], name, options);
  }
  function need(count, wanted, what) {
    if (count < wanted) throw new TypeErrorCtor("FormData." + what + ": " + wanted + " argument(s) required");
  }

  let entriesOf;
  class FormData {
    #entries = [];
    constructor(form = undefined, submitter = undefined) {
      if (form !== undefined) throw new TypeErrorCtor("FormData: there are no HTML forms here; pass no argument");
      void submitter;
    }
    append(name, value, filename = undefined) {
      need(arguments.length, 2, "append");
      this.#entries[this.#entries.length] = [USV(name), entryValue(value, filename, arguments.length)];
    }
    delete(name) {
      need(arguments.length, 1, "delete");
      const key = USV(name), kept = [];
      for (let i = 0; i < this.#entries.length; i++) if (this.#entries[i][0] !== key) kept[kept.length] = this.#entries[i];
      this.#entries = kept;
    }
    get(name) {
      need(arguments.length, 1, "get");
      const key = USV(name);
      for (let i = 0; i < this.#entries.length; i++) if (this.#entries[i][0] === key) return this.#entries[i][1];
      return null;
    }
    getAll(name) {
      need(arguments.length, 1, "getAll");
      const key = USV(name), out = [];
      for (let i = 0; i < this.#entries.length; i++) if (this.#entries[i][0] === key) out[out.length] = this.#entries[i][1];
      return out;
    }
    has(name) {
      need(arguments.length, 1, "has");
      const key = USV(name);
      for (let i = 0; i < this.#entries.length; i++) if (this.#entries[i][0] === key) return true;
      return false;
    }
    set(name, value, filename = undefined) {
      need(arguments.length, 2, "set");
      const key = USV(name), entry = [key, entryValue(value, filename, arguments.length)], out = [];
      let placed = false;
      for (let i = 0; i < this.#entries.length; i++) {
        if (this.#entries[i][0] !== key) out[out.length] = this.#entries[i];
        else if (!placed) { out[out.length] = entry; placed = true; }
      }
      if (!placed) out[out.length] = entry;
      this.#entries = out;
    }
    forEach(callback, thisArg = undefined) {
      if (typeof callback !== "function") throw new TypeErrorCtor("FormData.forEach: callback must be a function");
      for (let i = 0; i < this.#entries.length; i++) call(callback, thisArg, this.#entries[i][1], this.#entries[i][0], this);
    }
    entries() { return iterator(this, "entries"); }
    keys() { return iterator(this, "keys"); }
    values() { return iterator(this, "values"); }
    static {
      entriesOf = (form) => form.#entries;
    }
  }
  const proto = FormData.prototype;
  defineProperty(proto, SymbolIterator, { value: proto.entries, writable: true, configurable: true });
  defineProperty(proto, toStringTag, { value: "FormData", configurable: true });

  // The live pair iterator of WebIDL: it reads the list at each step, so entries appended
  // while iterating are seen.
  const FormDataIterator = objectCreate(iteratorProto);
  const iterState = new WeakMapCtor();
  function iterator(form, kind) {
    entriesOf(form);
    const it = objectCreate(FormDataIterator);
    call(wmSet, iterState, it, { __proto__: null, form, kind, index: 0 });
    return it;
  }
  defineProperty(FormDataIterator, "next", { writable: true, configurable: true, enumerable: true,
    value: function next() {
      const state = call(wmGet, iterState, this);
      if (state === undefined) throw new TypeErrorCtor("next() called on a non-FormData iterator");
      const list = entriesOf(state.form);
      if (state.index >= list.length) return { value: undefined, done: true };
      const entry = list[state.index++];
      const value = state.kind === "keys" ? entry[0] : state.kind === "values" ? entry[1] : [entry[0], entry[1]];
      return { value, done: false };
    } });
  defineProperty(FormDataIterator, toStringTag, { value: "FormData Iterator", configurable: true });

  function parse(contentType, bytes) {
    const type = StringCtor(contentType || "");
    const essence = call(sTrim, call(sToLower, call(sSplit, type, ";")[0]));
    let entries;
    if (essence === "multipart/form-data") entries = native("form.multipart", type, bytes);
    else if (essence === "application/x-www-form-urlencoded") {
      // the one urlencoded parser (URLSearchParams', web/50-url.js): lenient %-decoding, UTF-8
      if (hooks.parseForm === undefined) hooks.internal("URLSearchParams");
      entries = hooks.parseForm(hooks.utf8Decode(bytes, true)); // without BOM handling: U+FEFF is data
    }
    else throw new TypeErrorCtor("formData(): the body's Content-Type is neither multipart/form-data nor " +
      "application/x-www-form-urlencoded (got '" + type + "')");
    const form = new FormData();
    const list = entriesOf(form);
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      list[list.length] = [e[0], e.length === 2 ? e[1]
        : new File([new Uint8ArrayCtor(e[1])], e[2], { type: e[3] })];
    }
    return form;
  }
  // multipart/form-data per the HTML standard: names and filenames escape \n, \r and ".
  function escape(text) {
    return call(sReplace, call(sReplace, call(sReplace, text, /\n/g, "%0A"), /\r/g, "%0D"), /"/g, "%22");
  }
  function serialize(form) {
    const list = entriesOf(form);
    const random = new Uint8ArrayCtor(native("random.bytes", 12));
    let boundary = "----zigttpFormBoundary";
    for (let i = 0; i < random.length; i++) boundary += HEX[random[i] & 15] + HEX[random[i] >> 4];
    const chunks = [];
    let total = 0;
    const push = (bytes) => { chunks[chunks.length] = bytes; total += bytes.length; };
    for (let i = 0; i < list.length; i++) {
      const name = escape(list[i][0]), value = list[i][1];
      let head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"";
      if (typeof value === "string") {
        push(new Uint8ArrayCtor(utf8Encode(head + "\r\n\r\n" + call(sReplace, value, /\r\n|\r(?!\n)|\n/g, "\r\n") + "\r\n")));
        continue;
      }
      head += "; filename=\"" + escape(value.name) + "\"\r\nContent-Type: " +
        (value.type || "application/octet-stream") + "\r\n\r\n";
      push(new Uint8ArrayCtor(utf8Encode(head)));
      push(web.bytesOf(value));
      push(new Uint8ArrayCtor(utf8Encode("\r\n")));
    }
    push(new Uint8ArrayCtor(utf8Encode("--" + boundary + "--\r\n")));
    const out = new Uint8ArrayCtor(total);
    for (let i = 0, at = 0; i < chunks.length; at += chunks[i].length, i++) call(taSet, out, chunks[i], at);
    return ["multipart/form-data; boundary=" + boundary, out];
  }
  hooks.webFormImpl = freeze({ __proto__: null, FormData, parse, serialize, entries: (form) => entriesOf(form) });
})
