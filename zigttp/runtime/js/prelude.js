// zigttp prelude: the Web-style API a handler sees (Response, Headers, Request, a basic console
// that web/05-console.js replaces) and the dispatcher the host calls once per request.
//
// Rules this file keeps (SECURITY.md, "Hostile handlers"):
// * Every builtin it relies on is captured here, at load, before user code runs -- the function
//   values themselves, never a `String.prototype.x` looked up later -- so a handler that
//   overwrites JSON.stringify, Object.prototype, Array.prototype or Response cannot fool the glue.
// * No `for...of`, spread or `instanceof Promise` on the hot path (all reach user-replaceable
//   iterators or hooks); internal records have a null prototype (no inherited setters).
// * Response, Headers, Request and their prototypes are frozen; after every request the host
//   compares the watched builtins (snapshot()'s list) with their state after the handler
//   loaded (native/engine/integrity.c), and a request that changed them taints the runtime,
//   which the host replaces before the next request.
// * This file evaluates to one function, which the engine extension (native/engine) calls
//   with its `hooks` (console, host, utf8Decode, utf8Encode, call, uncurry, objectLike...):
//   the hooks and the returned dispatcher stay in this closure and in C, never on globalThis,
//   so handler code (indirect eval included) cannot reach, call or replace them.
// * The host calls dispatch(method, url, "name\0value\0..." headers, body ArrayBuffer | null)
//   and reads the answer in C (marshal.c):
//     [status, "name: value\r\n"..., body]   a response; body a string or bytes (see `encode`)
//     [0, kind, message]                    a failure (kinds at FAIL below)
//     null                                  a pending promise: the host runs jobs, then settle()
// * For the web API's own files (never handler code) it adds to `hooks`: `fetchInternals`
//   (makeResponse, requestParts, newRequest: web/fetch.js and the zigttp:fetch shim) and reads
//   optional registrations: `hooks.streams` (web/30-streams.js) for stream bodies,
//   `hooks.webBlob` / `hooks.webForm` (web/blob.js) for Blob and FormData bodies.
// * Deadlines, memory and stack are the engine's: an interrupt handler ends a call at its
//   deadline (uncatchable), the engine's fault flags classify memory, stack and call depth.
(function (hooks) {
  "use strict";
  const global = globalThis;
  const ObjectProto = Object.prototype;
  const ArrayProto = Array.prototype;
  const StringProto = String.prototype;
  const RegExpProto = RegExp.prototype;
  const SymbolIterator = Symbol.iterator;
  const freeze = Object.freeze;
  const jsonStringify = JSON.stringify;
  const jsonParse = JSON.parse;
  const objectKeys = Object.keys;
  const objectCreate = Object.create;
  const defineProperty = Object.defineProperty;
  const setPrototypeOf = Object.setPrototypeOf;
  const isArray = Array.isArray;
  const StringCtor = String;
  const NumberIsInteger = Number.isInteger;
  const ErrorCtor = Error;
  const TypeErrorCtor = TypeError;
  const RangeErrorCtor = RangeError;
  const InternalErrorCtor = typeof InternalError === "function" ? InternalError : null;
  const PromiseCtor = Promise;
  const promiseThen = Promise.prototype.then;
  const promiseResolve = Promise.resolve;
  const Uint8ArrayCtor = Uint8Array;
  const ArrayBufferCtor = ArrayBuffer;
  const decodeComponent = decodeURIComponent;
  // call(f, this, ...args) and uncurry(f)(this, ...args): f.call(this, ...args) in one native
  // hop (native/engine/hooks.c), no lookup of `.call` at run time; callers pass each helper
  // its arguments exactly (a native helper forwards any extra one)
  const call = hooks.call, uncurry = hooks.uncurry;
  const objectLike = hooks.objectLike; // (model, ...values): see requestLike
  const objHasOwn = ObjectProto.hasOwnProperty;
  const sIndexOf = StringProto.indexOf, sSlice = StringProto.slice, sSplit = StringProto.split;
  const sLower = StringProto.toLowerCase, sUpper = StringProto.toUpperCase;
  const sReplaceAll = StringProto.replaceAll;
  const reExec = RegExpProto.exec, reTest = RegExpProto.test;
  const aPush = ArrayProto.push, aJoin = ArrayProto.join, aValues = ArrayProto[SymbolIterator];
  const hasOwn = uncurry(objHasOwn); // (obj, key)
  const strIndexOf = uncurry(sIndexOf); // (s, sub, from)
  const strSlice = uncurry(sSlice); // (s, a, b)
  const strSplit = uncurry(sSplit); // (s, sep)
  const strToLower = uncurry(sLower); // (s)
  const strToUpper = uncurry(sUpper); // (s)
  const strReplaceAll = uncurry(sReplaceAll); // (s, a, b)
  const regexTest = uncurry(reTest); // (re, s)
  const arrayPush = uncurry(aPush); // (arr, v)
  const arrayJoin = uncurry(aJoin); // (arr, sep)
  // RegExp.prototype.test looks up `exec` on the regex: pin it on our own regexes.
  function pinned(re) { defineProperty(re, "exec", { value: reExec }); return re; }
  function list() { return []; }
  // For stored values: an array without Array.prototype in its chain, so a setter a handler
  // defines on Array.prototype["1"] cannot swallow (or forge) what push() stores.
  function safeList() { return setPrototypeOf([], null); }
  const emitConsole = hooks.console, utf8Decode = hooks.utf8Decode, utf8Encode = hooks.utf8Encode;
  // console.* lines go to the host as they happen, at most CONSOLE_LIMIT characters a request.
  let consoleBytes = 0;
  const CONSOLE_LIMIT = 1 << 20;
  function hostConsole(level, text) {
    if (consoleBytes > CONSOLE_LIMIT) return;
    consoleBytes += text.length;
    emitConsole(level, consoleBytes > CONSOLE_LIMIT ? "... console output truncated" : text);
  }

  const TOKEN = pinned(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/);
  const STATUS_TEXT = {
    200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 301: "Moved Permanently",
    302: "Found", 303: "See Other", 304: "Not Modified", 307: "Temporary Redirect",
    308: "Permanent Redirect", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
    404: "Not Found", 405: "Method Not Allowed", 409: "Conflict", 413: "Payload Too Large",
    422: "Unprocessable Entity", 429: "Too Many Requests", 500: "Internal Server Error",
    501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
    504: "Gateway Timeout",
  };

  // ---- Headers ---------------------------------------------------------------------------
  // The Fetch standard's Headers: names must be tokens, values are normalised (leading and
  // trailing HTTP whitespace stripped) and must be byte strings without NUL, CR or LF;
  // iteration is sorted by name with duplicates combined (set-cookie kept apart,
  // getSetCookie()); Response.error/redirect and fetch() responses have immutable headers.
  const aSort = ArrayProto.sort;
  // The checks themselves are C (native/engine/headers.c): a name must be a token (answered
  // lower-cased), a value loses leading and trailing HTTP whitespace and must then have no
  // NUL, CR, LF or character above U+00FF; null when it breaks the rule.
  const headerName = hooks.headerName, headerValue = hooks.headerValue;
  const wireHeader = hooks.wireHeader, wireMap = hooks.wireMap;
  function checkName(name) {
    const n = typeof name === "string" ? name : StringCtor(name);
    const key = headerName(n);
    if (key === null) throw new TypeErrorCtor(`Headers: invalid header name ${jsonStringify(n)}`);
    return key;
  }
  function checkValue(name, value) {
    const v = headerValue(typeof value === "string" ? value : StringCtor(value));
    if (v === null) {
      throw new TypeErrorCtor(`Headers: value of ${jsonStringify(name)} contains NUL, CR, LF or a character above U+00FF`);
    }
    return v;
  }

  const LINES = Symbol("zigttp.lines");
  const GUARD = Symbol("zigttp.guard");
  // Framing belongs to the server: a handler's own values for these are dropped on the wire.
  const FRAMING = { "content-length": true, "transfer-encoding": true, "connection": true, "keep-alive": true };
  function wireLine(name, value) {
    return FRAMING[name] === true ? "" : name + ": " + value + "\r\n";
  }
  const IteratorProto = Object.getPrototypeOf(Object.getPrototypeOf([][SymbolIterator]()));
  class HeadersImpl {
    #map = objectCreate(null); // lower-case name → combined value (set-cookie apart)
    #cookies = safeList();
    #immutable = false;
    constructor(init) {
      if (init !== undefined) fillHeaders(this, init);
    }
    #mutable() {
      if (this.#immutable) throw new TypeErrorCtor("Headers: these headers are immutable");
    }
    get(name) {
      const key = checkName(name);
      if (key === "set-cookie") return this.#cookies.length ? arrayJoin(this.#cookies, ", ") : null;
      const value = this.#map[key];
      return value === undefined ? null : value;
    }
    getSetCookie() {
      const out = [];
      for (let i = 0; i < this.#cookies.length; i++) arrayPush(out, this.#cookies[i]);
      return out;
    }
    has(name) {
      const key = checkName(name);
      return key === "set-cookie" ? this.#cookies.length > 0 : this.#map[key] !== undefined;
    }
    set(name, value) {
      const key = checkName(name);
      const v = checkValue(key, value);
      this.#mutable();
      if (key === "set-cookie") { this.#cookies.length = 0; arrayPush(this.#cookies, v); }
      else this.#map[key] = v;
    }
    append(name, value) { this.#add(checkName(name), value); }
    #add(key, value) {
      const v = checkValue(key, value);
      this.#mutable();
      if (key === "set-cookie") arrayPush(this.#cookies, v);
      else this.#map[key] = this.#map[key] === undefined ? v : this.#map[key] + ", " + v;
    }
    delete(name) {
      const key = checkName(name);
      this.#mutable();
      if (key === "set-cookie") this.#cookies.length = 0;
      else delete this.#map[key];
    }
    // The standard's "sort and combine": [name, value] pairs by name, each cookie its own pair.
    #pairs() {
      const keys = objectKeys(this.#map);
      if (this.#cookies.length) arrayPush(keys, "set-cookie");
      call(aSort, keys);
      const out = safeList();
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        if (key !== "set-cookie") { arrayPush(out, [key, this.#map[key]]); continue; }
        for (let j = 0; j < this.#cookies.length; j++) arrayPush(out, [key, this.#cookies[j]]);
      }
      return out;
    }
    forEach(fn, thisArg) {
      if (typeof fn !== "function") throw new TypeErrorCtor("Headers.forEach: callback is not a function");
      let pairs = this.#pairs();
      for (let i = 0; i < pairs.length; i++) {
        call(fn, thisArg, pairs[i][1], pairs[i][0], this);
        pairs = this.#pairs(); // the callback may have changed the list
      }
    }
    entries() { return new HeadersIterator(this, 2); }
    keys() { return new HeadersIterator(this, 0); }
    values() { return new HeadersIterator(this, 1); }
    [SymbolIterator]() { return new HeadersIterator(this, 2); }
    toJSON() {
      const out = {};
      const pairs = this.#pairs();
      for (let i = 0; i < pairs.length; i++) {
        const name = pairs[i][0];
        out[name] = name === "set-cookie" && out[name] !== undefined ? out[name] + ", " + pairs[i][1] : pairs[i][1];
      }
      return out;
    }
    // (internal) pairs for an iterator; the guard's switch; wire lines for the host.
    static pairsOf(headers) { return headers.#pairs(); }
    // A brand check that runs no Proxy trap (instanceof would call getPrototypeOf: WebIDL's
    // record conversion must touch only Symbol.iterator, ownKeys and the properties).
    static isHeaders(value) { return isObject(value) && #map in value; }
    static appendKey(headers, key, value) { headers.#add(key, value); } // `key` checkName()d
    // A response's default content-type where its init headers set none: what has() then
    // set() did, without checking a name that is always valid on headers that are new.
    static defaultType(headers, type) {
      if (headers.#map["content-type"] === undefined) headers.#map["content-type"] = checkValue("content-type", type);
    }
    static freezeGuard(headers) { headers.#immutable = true; return headers; }
    static isImmutable(headers) { return headers.#immutable; }
    // Trusted "name\0value\0..." pairs (request headers from the server): no validation.
    static fromWire(wire) {
      const headers = new HeadersImpl();
      const map = wireMap(wire); // (C: null when a set-cookie line needs the loop below)
      if (map !== null) { headers.#map = map; return headers; }
      if (wire !== "") {
        const parts = strSplit(wire, "\0");
        for (let i = 0; i + 1 < parts.length; i += 2) {
          if (parts[i] === "set-cookie") arrayPush(headers.#cookies, parts[i + 1]);
          else headers.#map[parts[i]] = parts[i + 1];
        }
      }
      return headers;
    }
    [LINES]() { return headersBlock(this); }
    // (internal, called directly) the wire lines: "name: value\r\n" each, cookies last.
    static blockOf(headers) {
      const map = headers.#map, keys = objectKeys(map), cookies = headers.#cookies;
      let block = "";
      for (let i = 0; i < keys.length; i++) block += wireLine(keys[i], map[keys[i]]);
      for (let i = 0; i < cookies.length; i++) block += "set-cookie: " + cookies[i] + "\r\n";
      return block;
    }
  }
  const headerPairs = HeadersImpl.pairsOf, guardHeaders = HeadersImpl.freezeGuard;
  const headersImmutable = HeadersImpl.isImmutable, headersFromWire = HeadersImpl.fromWire;
  const isHeaders = HeadersImpl.isHeaders, appendKey = HeadersImpl.appendKey, defaultType = HeadersImpl.defaultType;
  delete HeadersImpl.defaultType; delete HeadersImpl.pairsOf; delete HeadersImpl.isHeaders; delete HeadersImpl.appendKey; delete HeadersImpl.freezeGuard; delete HeadersImpl.isImmutable;
  delete HeadersImpl.fromWire;
  // WebIDL's pair iterator: recomputes the sorted list on every step, as the standard says.
  class HeadersIterator {
    #headers; #kind; #index = 0;
    constructor(headers, kind) { headerPairs(headers); this.#headers = headers; this.#kind = kind; }
    next() {
      const pairs = headerPairs(this.#headers);
      if (this.#index >= pairs.length) return { value: undefined, done: true };
      const pair = pairs[this.#index++];
      return { value: this.#kind === 2 ? pair : pair[this.#kind], done: false };
    }
  }
  setPrototypeOf(HeadersIterator.prototype, IteratorProto);
  // (WebIDL: `next` enumerable and writable; replacing it only affects the handler's own loops)
  defineProperty(HeadersIterator.prototype, "next", { enumerable: true });
  const headersIterate = HeadersImpl.prototype[SymbolIterator];
  defineProperty(HeadersIterator.prototype, Symbol.toStringTag, { value: "Headers Iterator", configurable: true });
  const headersBlock = HeadersImpl.blockOf;
  delete HeadersImpl.blockOf;
  const reflectOwnKeys = Reflect.ownKeys, getOwnDescriptor = Object.getOwnPropertyDescriptor;
  // A sequence of pairs, a record, or (fast path) another Headers. A record's array values
  // append one line each (a zigttp extension kept from the original: {"set-cookie": [a, b]}).
  function fillHeaders(target, init) {
    if (isHeaders(init) && init[SymbolIterator] === headersIterate) {
      const pairs = headerPairs(init);
      for (let i = 0; i < pairs.length; i++) target.append(pairs[i][0], pairs[i][1]);
      return;
    }
    if (init === null || (typeof init !== "object" && typeof init !== "function")) {
      throw new TypeErrorCtor("Headers: init must be an object, a sequence of [name, value] pairs or Headers");
    }
    const method = init[SymbolIterator];
    if (method !== undefined && method !== null) {
      if (typeof method !== "function") throw new TypeErrorCtor("Headers: init[Symbol.iterator] is not a function");
      if (isArray(init) && method === aValues) {
        for (let i = 0; i < init.length; i++) appendPair(target, init[i]);
      } else {
        const items = iterate(init, method);
        for (let i = 0; i < items.length; i++) appendPair(target, items[i]);
      }
      return;
    }
    const names = reflectOwnKeys(init);
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const desc = getOwnDescriptor(init, name);
      if (desc === undefined || !desc.enumerable) continue;
      if (typeof name === "symbol") throw new TypeErrorCtor("Headers: a record key is a Symbol");
      const key = checkName(name); // (the key is converted before the value's [[Get]])
      const value = init[name];
      if (isArray(value)) { for (let j = 0; j < value.length; j++) appendKey(target, key, value[j]); }
      else appendKey(target, key, value);
    }
  }
  // An iterable's items into a safe list, by the iterator protocol.
  function iterate(iterable, method) {
    const out = safeList();
    const iterator = call(method, iterable);
    if (!isObject(iterator)) throw new TypeErrorCtor("iterator is not an object");
    const next = iterator.next;
    for (;;) {
      const step = call(next, iterator);
      if (!isObject(step)) throw new TypeErrorCtor("iterator result is not an object");
      if (step.done) return out;
      arrayPush(out, step.value);
    }
  }
  function appendPair(target, item) {
    if (!isObject(item)) throw new TypeErrorCtor("Headers: each item of the init sequence must be a [name, value] pair");
    const method = item[SymbolIterator];
    if (typeof method !== "function") throw new TypeErrorCtor("Headers: each item of the init sequence must be iterable");
    const pair = isArray(item) && method === aValues ? item : iterate(item, method);
    if (pair.length !== 2) {
      throw new TypeErrorCtor(`Headers: each pair must have exactly 2 items (name, value), got ${pair.length}`);
    }
    target.append(pair[0], pair[1]);
  }
  const reflectConstruct = Reflect.construct;
  // Callable without `new` (the original zigttp's factories); `new` and subclasses construct.
  function Headers(init) {
    if (new.target === undefined || new.target === Headers) return new HeadersImpl(init);
    return reflectConstruct(HeadersImpl, [init], new.target);
  }
  Headers.prototype = HeadersImpl.prototype;
  defineProperty(HeadersImpl.prototype, "constructor", { value: Headers });
  defineProperty(HeadersImpl.prototype, Symbol.toStringTag, { value: "Headers", configurable: true });
  // ---- Body (the Fetch standard's body mixin, shared by Request and Response) -----------------
  // A body is kept as what it was made from: a string, bytes (ArrayBuffer or a view) or null;
  // it is decoded only when read. Readers return promises, except on the original zigttp's
  // synchronous objects (a `handler(request)` request, a `zigttp:fetch` response), where
  // they return the value itself. `blob()`/`formData()` build the Blob, File and FormData
  // classes of the web API (web/*.js), looked up when called.
  const isView = ArrayBufferCtor.isView;
  function isBinary(body) { return body instanceof ArrayBufferCtor || isView(body); }
  function bodyText(body) {
    if (body === null || body === undefined) return "";
    return typeof body === "string" ? body : utf8Decode(body);
  }
  function bodyBuffer(body) {
    if (body === null || body === undefined) return new ArrayBufferCtor(0);
    if (typeof body === "string") return utf8Encode(body);
    if (body instanceof ArrayBufferCtor) return call(abSlice, body, 0);
    return new Uint8ArrayCtor(body.buffer, body.byteOffset, body.byteLength).slice().buffer;
  }
  const abSlice = ArrayBufferCtor.prototype.slice;
  const JSON_TYPE = "application/json", JSON_LINE = "content-type: application/json\r\n";
  const TEXT_TYPE = "text/plain;charset=UTF-8", FORM_TYPE = "application/x-www-form-urlencoded;charset=UTF-8";
  // BodyInit → [stored body, content type or null]; `where` names the caller in errors.
  function extractBody(init, where) {
    if (init === undefined || init === null) return [null, null];
    if (typeof init === "string") return [init, TEXT_TYPE];
    if (isBinary(init)) return [init, null];
    if (isStream(init)) {
      if (hooks.streams.unusable(init)) throw new TypeErrorCtor(`${where}: the body stream is locked or already read`);
      return [init, null];
    }
    if (isObject(init) && typeof init[SymbolAsyncIterator] === "function") {
      return [global.ReadableStream.from(init), null]; // (Deno's and Bun's extension)
    }
    const USP = global.URLSearchParams;
    if (typeof USP === "function" && init instanceof USP) return [StringCtor(init), FORM_TYPE];
    if (isBlobBody(init)) {
      const type = StringCtor(init.type);
      return [hooks.webBlob.bytesOf(init), type === "" ? null : type];
    }
    if (isFormBody(init)) {
      const serialized = hooks.webForm.serialize(init);
      return [serialized[1], serialized[0]];
    }
    return [StringCtor(init), TEXT_TYPE];
  }
  // Blob, File and FormData are web/blob.js's (hooks.webBlob, hooks.webForm, registered after
  // this file); checking a body never loads those classes unless handler code already did.
  function isBlobBody(value) { return hooks.webBlob !== undefined && hooks.webBlob.isBlob(value); }
  function isFormBody(value) { return hooks.webForm !== undefined && hooks.webForm.isFormData(value); }
  function rejected(error) { return new PromiseCtor((_ok, fail) => fail(error)); }
  function resolved(value) { return call(promiseResolve, PromiseCtor, value); }
  // Runs `read` (which may throw) as the standard's "consume body": a promise of its value.
  function consume(owner, sync, read) {
    if (sync) return read();
    try { return resolved(read()); } catch (error) { return rejected(error); }
  }
  // `read(raw)` over a body that may be a stream: drained first (a promise), else as consume().
  function consumeBody(raw, sync, take, read) {
    if (raw !== null && isStream(raw)) {
      try { take(); } catch (error) { return rejected(error); }
      return call(promiseThen, drainStream(raw), read);
    }
    return consume(null, sync, () => read(take()));
  }
  function mimeOf(headers) {
    const type = headers.get("content-type");
    return type === null ? "" : type;
  }
  function blobOf(raw, type) {
    if (hooks.webBlob === undefined) throw new TypeErrorCtor("blob(): Blob is not available in this runtime");
    return hooks.webBlob.blob(new Uint8ArrayCtor(bodyBuffer(raw)), type);
  }
  function formDataOf(raw, type) {
    if (hooks.webForm === undefined) throw new TypeErrorCtor("formData(): FormData is not available in this runtime");
    return hooks.webForm.parse(type, new Uint8ArrayCtor(bodyBuffer(raw)));
  }
  // Streams come from web/30-streams.js (`hooks.streams`, installed after this file): a body
  // may be a ReadableStream; the `body` attribute is one (over the stored bytes otherwise).
  const SymbolAsyncIterator = Symbol.asyncIterator;
  function isStream(value) { return hooks.streams !== undefined && hooks.streams.isReadableStream(value); }
  function bodyStreamOf(raw) {
    if (raw === null || isStream(raw)) return raw;
    return hooks.streams !== undefined ? hooks.streams.fromBytes(new Uint8ArrayCtor(bodyBuffer(raw))) : raw;
  }
  // A streamed body read to its end: a promise of its bytes (ArrayBuffer).
  function drainStream(stream) {
    return new PromiseCtor((resolve, reject) => {
      const reader = hooks.streams.reader(stream);
      const parts = safeList();
      let size = 0;
      const next = () => reader.read((chunk) => {
        const bytes = chunkBytes(chunk);
        arrayPush(parts, bytes); size += bytes.byteLength; next();
      }, () => {
        const out = new Uint8ArrayCtor(size);
        let at = 0;
        for (let i = 0; i < parts.length; i++) { out.set(parts[i], at); at += parts[i].byteLength; }
        resolve(out.buffer);
      }, reject);
      next();
    });
  }
  function chunkBytes(chunk) {
    if (typeof chunk === "string") return new Uint8ArrayCtor(utf8Encode(chunk));
    if (chunk instanceof ArrayBufferCtor) return new Uint8ArrayCtor(chunk);
    if (isView(chunk)) return new Uint8ArrayCtor(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    throw new TypeErrorCtor("a body stream chunk must be a Uint8Array (or other bytes, or a string)");
  }
  const REASON = pinned(/^[\t\x20-\x7e\x80-\xff]*$/);
  function checkStatusText(text) {
    const t = StringCtor(text);
    if (!regexTest(REASON, t)) throw new TypeErrorCtor(`Response: statusText ${jsonStringify(t)} is not a valid reason phrase`);
    return t;
  }
  // ---- Response --------------------------------------------------------------------------
  // Headers are materialised lazily: the common `Response.json(data)` never builds a Headers
  // object, which keeps the per-request cost of the glue to a few object allocations.
  // Final responses only: a 1xx from a handler would desynchronise the client (and any proxy
  // reusing the connection), which would take the next response for this request's answer.
  function checkStatus(status) {
    if (status === undefined) return 200;
    if (!NumberIsInteger(status) || status < 200 || status > 599) {
      throw new RangeErrorCtor(`Response: status must be an integer in 200..599, got ${StringCtor(status)}`);
    }
    return status;
  }
  const NULL_BODY = { 101: true, 103: true, 204: true, 205: true, 304: true };
  const PARTS = Symbol("zigttp.parts");
  // Rarely used fields in one record (`meta`), so the common response carries one slot:
  // type (default "default"), url, redirected, sync (zigttp:fetch's synchronous readers).
  const DEFAULT_META = freeze({ type: "default", url: "", redirected: false, sync: false });
  function metaOf(type, url, redirected, sync) {
    const meta = objectCreate(null);
    meta.type = type; meta.url = url; meta.redirected = redirected; meta.sync = sync;
    return freeze(meta);
  }
  class ResponseImpl {
    #headers = null; // HeadersImpl once materialised
    #type; // default content-type, or null
    #extra; // the caller's init.headers, merged when materialised
    #body; // string, bytes or null
    #status;
    #statusText;
    #used = false;
    #meta;
    constructor(body, status, statusText, type, extra, meta) {
      this.#body = body;
      this.#status = status;
      this.#statusText = statusText;
      this.#type = type;
      this.#extra = extra;
      this.#meta = meta === undefined ? DEFAULT_META : meta;
      if (extra !== undefined && extra !== null) this.headers; // validate eagerly: errors point at the caller
    }
    get headers() {
      if (this.#headers === null) {
        const headers = new HeadersImpl();
        if (this.#extra !== undefined && this.#extra !== null) fillHeaders(headers, this.#extra);
        if (this.#type !== null) defaultType(headers, this.#type);
        this.#headers = headers;
      }
      return this.#headers;
    }
    get status() { return this.#status; }
    get ok() { return this.#status >= 200 && this.#status <= 299; }
    get statusText() {
      if (this.#statusText !== undefined) return this.#statusText;
      return this.#meta.type === "default" ? STATUS_TEXT[this.#status] || "" : "";
    }
    get type() { return this.#meta.type; }
    get url() { return this.#meta.url; }
    get redirected() { return this.#meta.redirected; }
    // One stream per response, made on first use; from then on the body is read through it.
    get body() {
      if (this.#meta.sync || this.#body === null || isStream(this.#body)) return this.#body;
      const stream = bodyStreamOf(this.#body);
      // (a consumed body's stream is locked, as the standard's reader-holding consumer leaves it)
      if (this.#used && stream !== this.#body) hooks.streams.reader(stream);
      this.#body = stream;
      return stream;
    }
    get bodyUsed() { return this.#used || (this.#body !== null && isStream(this.#body) && hooks.streams.disturbed(this.#body)); }
    #read() {
      if (this.#meta.sync) return this.#body;
      if (this.bodyUsed) throw new TypeErrorCtor("Response body already read (bodyUsed): clone() it to read it twice");
      if (this.#body !== null && isStream(this.#body) && hooks.streams.unusable(this.#body)) {
        throw new TypeErrorCtor("Response body stream is locked to a reader");
      }
      if (this.#body !== null) this.#used = true;
      return this.#body;
    }
    #consume(read) { return consumeBody(this.#body, this.#meta.sync, () => this.#read(), read); }
    text() { return this.#consume((raw) => bodyText(raw)); }
    json() { return this.#consume((raw) => jsonParse(bodyText(raw))); }
    arrayBuffer() { return this.#consume((raw) => bodyBuffer(raw)); }
    bytes() { return this.#consume((raw) => new Uint8ArrayCtor(bodyBuffer(raw))); }
    blob() { return this.#consume((raw) => blobOf(raw, mimeOf(this.headers))); }
    formData() { return this.#consume((raw) => formDataOf(raw, mimeOf(this.headers))); }
    clone() {
      if (this.bodyUsed) throw new TypeErrorCtor("Response.clone: the body is already used");
      let body = this.#body;
      if (body !== null && isStream(body)) { // the standard's tee: each copy reads all chunks
        if (hooks.streams.unusable(body)) throw new TypeErrorCtor("Response.clone: the body stream is locked");
        const branches = hooks.streams.tee(body);
        this.#body = branches[0];
        body = branches[1];
      }
      const copy = new ResponseImpl(body, this.#status, this.#statusText, null, this.headers, this.#meta);
      if (headersImmutable(this.headers)) guardHeaders(copy.headers);
      return copy;
    }
    // (internal) the guard of Response.error()/redirect()/fetch() responses.
    static immutable(response) { guardHeaders(response.headers); return response; }
    [LINES]() { return responseLines(this); }
    [PARTS]() { return responseParts(this); }
    // (internal) called directly, not through `call`: the header lines, and the host's view
    // (status and body from the private fields, never a getter's say).
    static linesOf(response) {
      if (response.#headers !== null) return headersBlock(response.#headers);
      const type = response.#type;
      return type === null ? "" : type === JSON_TYPE ? JSON_LINE : "content-type: " + type + "\r\n";
    }
    static partsOf(response) {
      const body = response.#body;
      if (body !== null && typeof body !== "string" && isStream(body)) {
        if (response.#used) throw new TypeErrorCtor("the response's body stream is already used");
        response.#used = true;
        streaming = hooks.streams.reader(body);
        return [checkStatus(response.#status), responseLines(response), "", true];
      }
      const status = response.#status; // (200, the common one, needs no check call)
      return [status === 200 ? 200 : checkStatus(status), responseLines(response), body === null ? "" : body];
    }
    // A brand check (a Proxy or an Object.create(Response.prototype) fails it): cheaper than
    // `instanceof`, which looks up Symbol.hasInstance and walks the prototype chain.
    static layoutOf(response) { // (internal, at load: see RESPONSE_LIKE)
      return [response.#headers, response.#type, response.#extra, response.#body, response.#status,
        response.#statusText, response.#used, response.#meta];
    }
    static isResponse(value) {
      return ((typeof value === "object" && value !== null) || typeof value === "function") && #body in value; // (isObject inline)
    }
  }
  const immutableResponse = ResponseImpl.immutable;
  // A response that came over the network (fetch(), zigttp:fetch): `pairs` [[name, value]...]
  // as the server sent them (a pair the Headers rules refuse is dropped), headers immutable;
  // `sync` gives the original zigttp's synchronous, re-readable readers.
  function makeResponse(status, statusText, pairs, body, url, redirected, sync) {
    const headers = new HeadersImpl();
    for (let i = 0; i < pairs.length; i++) {
      try { headers.append(pairs[i][0], pairs[i][1]); } catch (_e) { /* not a valid header */ }
    }
    const meta = metaOf(sync ? "default" : "basic", url, redirected, sync);
    const response = new ResponseImpl(body, status, statusText, null, headers, meta);
    return sync ? response : immutableResponse(response);
  }
  const responseLines = ResponseImpl.linesOf, responseParts = ResponseImpl.partsOf;
  const isResponse = ResponseImpl.isResponse, responseLayout = ResponseImpl.layoutOf;
  delete ResponseImpl.immutable; delete ResponseImpl.linesOf; delete ResponseImpl.partsOf; delete ResponseImpl.isResponse;
  delete ResponseImpl.layoutOf;
  // A response without init headers is made like a model instance, as incoming requests are
  // (hooks.objectLike, see requestLike): the brand (undefined), then the fields in declaration
  // order, proven once here by a probe; else (or with headers to validate) the constructor runs.
  const RESPONSE_MODEL = new ResponseImpl(null, 200, undefined, null, undefined);
  const RESPONSE_LIKE = (() => {
    try {
      const probe = objectLike(RESPONSE_MODEL, undefined, 1, 2, 3, 4, 5, 6, 7, 8);
      if (probe === undefined) return false;
      const fields = responseLayout(probe);
      for (let i = 0; i < 8; i++) if (fields[i] !== i + 1) return false;
      return Object.getOwnPropertyNames(probe).length === 0;
    } catch (_e) {
      return false;
    }
  })();
  // new ResponseImpl(body, status, statusText, type, extra, meta), the common case made like the model
  function newResponse(body, status, statusText, type, extra, meta) {
    if (!RESPONSE_LIKE || (extra !== undefined && extra !== null)) {
      return new ResponseImpl(body, status, statusText, type, extra, meta);
    }
    return objectLike(RESPONSE_MODEL, undefined, null, type, extra, body, status, statusText, false,
      meta === undefined ? DEFAULT_META : meta);
  }
  // Never a thenable, even with a polluted Object.prototype.then: an async handler's Response
  // must resolve to itself.
  defineProperty(ResponseImpl.prototype, "then", { value: undefined });
  defineProperty(ResponseImpl.prototype, Symbol.toStringTag, { value: "Response", configurable: true });
  // ---- JSX elements as bodies -------------------------------------------------------------
  // jsx_runtime.js (evaluated after this file) hands over its renderer once, through a
  // global it deletes; an element renders to HTML, any other object is refused instead of
  // being sent as "[object Object]"; in return it gets the C escape, join and template
  // sites, lists and elements (jsx.c escapeHtml, concatStrings, jsxSite, jsxList, jsxElement).
  const HTML = "text/html; charset=utf-8";
  let renderElement = (_value) => undefined;
  let jsxReady = false;
  function useJsx(render) {
    if (jsxReady) return undefined;
    jsxReady = true;
    renderElement = render;
    return [hooks.escapeHtml, hooks.concatStrings, hooks.jsxSite, hooks.jsxList, hooks.jsxElement];
  }
  function isObject(value) { return (typeof value === "object" && value !== null) || typeof value === "function"; }
  // The error's stack starts at the handler's call (`api`): the glue's own frames would be
  // mapped onto lines of the user's file.
  const captureStack = typeof ErrorCtor.captureStackTrace === "function" ? ErrorCtor.captureStackTrace : null;
  function elementBody(body, where, expected, api) {
    const html = renderElement(body);
    if (typeof html === "string") return html;
    const error = new TypeErrorCtor(`${where}: body must be ${expected}, got ` +
      `${typeof body === "function" ? "a function" : "an object"}; use Response.json(data) for data`);
    if (captureStack !== null) captureStack(error, api);
    throw error;
  }
  function textOf(value, where, api) {
    if (value === undefined || value === null) return "";
    return isObject(value) ? elementBody(value, where, "a string or a JSX element", api) : StringCtor(value);
  }
  function initOf(init) { return init === undefined || init === null ? {} : init; }
  // ResponseInit: status 200..599 (RangeError), statusText a reason phrase, headers; a
  // null-body status (204, 304, ...) refuses a body (TypeError), as the standard says.
  // `new Response(...)` is the Fetch standard's (statusText "" unless given, a string body is
  // "text/plain;charset=UTF-8"); `Response(...)` without `new` is the original zigttp's factory
  // (statusText from the status table, "text/plain; charset=utf-8").
  function Response(body, init) {
    const options = initOf(init);
    const status = checkStatus(options.status);
    const standard = new.target !== undefined;
    const statusText = options.statusText !== undefined ? checkStatusText(options.statusText) : standard ? "" : undefined;
    let raw = body, type = null;
    if (typeof body === "string") type = standard ? TEXT_TYPE : "text/plain; charset=utf-8";
    else if (body === undefined || body === null) raw = null;
    else if (isObject(body) && !isBinary(body) && renderElement(body) !== undefined) {
      raw = elementBody(body, "new Response", "a string, a Uint8Array/ArrayBuffer or a JSX element", Response);
      type = HTML;
    } else if (isObject(body) && !isBinary(body) && !isBodyObject(body)) {
      elementBody(body, "new Response", "a string, a Uint8Array/ArrayBuffer, URLSearchParams, Blob or a JSX element", Response);
    } else {
      const extracted = extractBody(body, "new Response");
      raw = extracted[0]; type = extracted[1];
    }
    if (raw !== null && NULL_BODY[status] === true) {
      throw new TypeErrorCtor(`new Response: a ${status} response cannot have a body; pass null`);
    }
    const response = newResponse(raw, status, statusText, type, options.headers);
    if (new.target === undefined || new.target === Response) return response;
    setPrototypeOf(response, new.target.prototype); // a subclass (its fields stay the glue's)
    return response;
  }
  // Objects the standard accepts as a body besides bytes: URLSearchParams, Blob, ReadableStream
  // (and async iterables); any other object is refused, not sent as "[object Object]".
  function isBodyObject(body) {
    const USP = global.URLSearchParams;
    return (typeof USP === "function" && body instanceof USP) || isBlobBody(body) || isFormBody(body) ||
      isStream(body) || typeof body[SymbolAsyncIterator] === "function";
  }
  Response.prototype = ResponseImpl.prototype;
  defineProperty(ResponseImpl.prototype, "constructor", { value: Response });
  function typed(body, init, type) {
    if (init === undefined) return newResponse(body, 200, undefined, type, undefined);
    const options = initOf(init);
    const statusText = options.statusText === undefined ? undefined : checkStatusText(options.statusText);
    return newResponse(body, checkStatus(options.status), statusText, type, options.headers);
  }
  Response.json = function json(data, init) {
    // (no `arguments` here: referencing it allocates an arguments object on every call)
    const body = data === undefined ? "{}" : jsonStringify(data);
    if (body === undefined) throw new TypeErrorCtor(`Response.json: a ${typeof data} cannot be serialised as JSON`);
    if (init === undefined) return newResponse(body, 200, undefined, JSON_TYPE, undefined); // (typed's first case)
    if (init !== null && NULL_BODY[init.status] === true) {
      throw new TypeErrorCtor(`Response.json: a ${init.status} response cannot have a body`);
    }
    return typed(body, init, JSON_TYPE);
  };
  Response.text = function text(body, init) {
    return typed(typeof body === "string" ? body : textOf(body, "Response.text", text), init,
      "text/plain; charset=utf-8");
  };
  Response.html = function html(body, init) {
    return typed(typeof body === "string" ? body : textOf(body, "Response.html", html), init, HTML);
  };
  const REDIRECT = { 301: true, 302: true, 303: true, 307: true, 308: true };
  // (a relative URL is kept as given: a server has no base URL to resolve it against)
  Response.redirect = function redirect(url, status = 302) {
    const code = status;
    if (REDIRECT[code] !== true) {
      throw new RangeErrorCtor(`Response.redirect: status must be 301, 302, 303, 307 or 308, got ${StringCtor(code)}`);
    }
    const location = checkValue("location", regexTest(SCHEME, StringCtor(url)) ? requestUrl(url, "Response.redirect") : StringCtor(url));
    return immutableResponse(new ResponseImpl(null, code, "", null, { location }));
  };
  Response.error = function error() {
    return immutableResponse(new ResponseImpl(null, 0, "", null, undefined, ERROR_META));
  };
  const ERROR_META = metaOf("error", "", false, false);
  Response.rawJson = function (text, init) { return typed(StringCtor(text), init, JSON_TYPE); };
  // ---- Request ---------------------------------------------------------------------------
  const INT32 = pinned(/^(?:0|-?[1-9][0-9]*)$/); // canonical only: "02134" and "+5" stay text
  function decodePart(text) {
    const spaced = strReplaceAll(text, "+", " ");
    try { return decodeComponent(spaced); } catch (_e) { return spaced; }
  }
  // Filled with a null prototype (so "__proto__" is a plain key and no inherited setter runs),
  // then given Object.prototype like any plain object.
  function parseQuery(url) {
    const query = objectCreate(null);
    const at = strIndexOf(url, "?");
    if (at < 0) return setPrototypeOf(query, ObjectProto);
    const pairs = strSplit(strSlice(url, at + 1), "&");
    for (let i = 0; i < pairs.length; i++) {
      const pair = pairs[i];
      if (pair === "") continue;
      const eq = strIndexOf(pair, "=");
      const key = decodePart(eq < 0 ? pair : strSlice(pair, 0, eq));
      const raw = eq < 0 ? "" : decodePart(strSlice(pair, eq + 1));
      const asInt = regexTest(INT32, raw) ? +raw : NaN;
      query[key] = asInt === (asInt | 0) ? asInt : raw;
    }
    return setPrototypeOf(query, ObjectProto);
  }

  // get/has read own properties only: a polluted Object.prototype["x-admin"] is not a header.
  // Headers named like the methods ("get", "has") are kept aside so a client cannot shadow them.
  const SHADOWED = Symbol("zigttp.shadowed");
  function ownHeader(headers, name) {
    const key = strToLower(StringCtor(name));
    if (key === "get" || key === "has") {
      const aside = hasOwn(headers, SHADOWED) ? headers[SHADOWED] : null;
      return aside !== null && typeof aside[key] === "string" ? aside[key] : null;
    }
    return hasOwn(headers, key) && typeof headers[key] === "string" ? headers[key] : null;
  }
  const RequestHeadersProto = objectCreate(ObjectProto);
  defineProperty(RequestHeadersProto, "get", { value: function (name) { return ownHeader(this, name); } });
  defineProperty(RequestHeadersProto, "has", { value: function (name) { return ownHeader(this, name) !== null; } });
  freeze(RequestHeadersProto);

  // Request headers arrive as "name\0value\0name\0value" (names lower-cased, duplicates
  // already joined): cheaper to build on the host than JSON, parsed only if the handler looks.
  function parseHeaders(wire) {
    const map = wireMap(wire); // (C: null when a "get" or "has" line needs the loop below)
    if (map !== null) return setPrototypeOf(map, RequestHeadersProto);
    const headers = objectCreate(null);
    if (wire !== "") {
      const parts = strSplit(wire, "\0");
      for (let i = 0; i + 1 < parts.length; i += 2) {
        const name = parts[i];
        if (name === "get" || name === "has") {
          if (!hasOwn(headers, SHADOWED)) defineProperty(headers, SHADOWED, { value: objectCreate(null) });
          headers[SHADOWED][name] = parts[i + 1];
        } else {
          headers[name] = parts[i + 1];
        }
      }
    }
    return setPrototypeOf(headers, RequestHeadersProto);
  }
  function headerWire(object) {
    const parts = list();
    const names = objectKeys(object);
    for (let i = 0; i < names.length; i++) { arrayPush(parts, names[i]); arrayPush(parts, object[names[i]]); }
    return arrayJoin(parts, "\0");
  }

  // The incoming request. Two shapes over one class:
  // * the original zigttp's, for `handler(request)` (and the `Request(...)` factory): own
  //   `method`, `url` (path + query), `path`; `query` and `headers` (a plain object with
  //   get/has) parsed on first use; `body` the text; synchronous, single-use readers;
  // * the Fetch standard's, for `export default { fetch }` and `new Request(...)`: read-only
  //   attributes, `url` absolute (scheme and host from the listening socket and the Host
  //   header), `headers` a Headers, readers returning promises, `clone()`, `signal`.
  // The body stays as the bytes that arrived (an ArrayBuffer, or what the handler built the
  // Request with): arrayBuffer()/bytes() return them, text()/json()/body decode.
  const FORBIDDEN_METHOD = { CONNECT: true, TRACE: true, TRACK: true };
  const NORMAL_METHOD = { DELETE: true, GET: true, HEAD: true, OPTIONS: true, POST: true, PUT: true };
  const ENUMS = {
    mode: { "same-origin": true, "no-cors": true, "cors": true, "navigate": true },
    credentials: { "omit": true, "same-origin": true, "include": true },
    cache: { "default": true, "no-store": true, "reload": true, "no-cache": true, "force-cache": true, "only-if-cached": true },
    redirect: { "follow": true, "error": true, "manual": true },
    referrerPolicy: { "": true, "no-referrer": true, "no-referrer-when-downgrade": true, "same-origin": true, "origin": true,
      "strict-origin": true, "origin-when-cross-origin": true, "strict-origin-when-cross-origin": true, "unsafe-url": true },
    duplex: { "half": true },
    priority: { "high": true, "low": true, "auto": true },
  };
  // Attributes of a standard Request: own values over these defaults (never reachable from
  // handler code), so an incoming request allocates a two-field record.
  const FIELDS = ["method", "url", "mode", "credentials", "cache", "redirect", "referrer", "referrerPolicy",
    "integrity", "keepalive", "signal", "duplex", "destination"];
  const DEFAULT_FIELDS = objectCreate(null);
  DEFAULT_FIELDS.mode = "cors"; DEFAULT_FIELDS.credentials = "same-origin"; DEFAULT_FIELDS.cache = "default";
  DEFAULT_FIELDS.redirect = "follow"; DEFAULT_FIELDS.referrer = "about:client"; DEFAULT_FIELDS.referrerPolicy = "";
  DEFAULT_FIELDS.integrity = ""; DEFAULT_FIELDS.keepalive = false; DEFAULT_FIELDS.signal = null;
  DEFAULT_FIELDS.duplex = "half"; DEFAULT_FIELDS.destination = "";
  function standardFields(method, url) {
    const f = objectCreate(DEFAULT_FIELDS);
    f.method = method; f.url = url;
    return f;
  }
  const HOST = pinned(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~!$&'()*+,;=%-]+)(:[0-9]{1,5})?$/);
  // The absolute URL of an incoming request: the Host header if it is a valid authority, else
  // the listening socket's (`origin`, "http://host:port", from the server). A server's
  // clients send the same Host over and over: the last one found valid is not tested again
  // (the regex is ~6k instructions a request).
  let validHost = null;
  function absoluteUrl(target, host, origin) {
    if (strIndexOf(target, "://") >= 0) return target;
    if (host !== null && (host === validHost || regexTest(HOST, host))) {
      validHost = host;
      return "http://" + host + target;
    }
    return (origin === undefined || origin === "" ? "http://localhost" : origin) + target;
  }
  class RequestImpl {
    #headers; // "name\0value\0..." until first use, then the parsed object (or a Headers)
    #query = undefined;
    #used = false;
    #raw; // ArrayBuffer, string or null
    #text = undefined;
    #std; // null for the original's shape; else standardFields(), `url` resolved on first use
    #origin;
    constructor(headers, raw, std, origin) {
      this.#headers = headers;
      this.#raw = raw;
      this.#std = std;
      this.#origin = origin;
    }
    get method() { return this.#std.method; }
    get url() {
      const std = this.#std;
      if (this.#origin !== undefined) { // incoming: resolved once, from the Host header
        const wire = this.#headers; // (read off the wire: the URL alone builds no Headers)
        const host = typeof wire === "string" ? wireHeader(wire, "host") : wire.get("host");
        std.url = absoluteUrl(std.url, host, this.#origin);
        this.#origin = undefined;
      }
      return std.url;
    }
    get path() {
      const url = this.url;
      const scheme = strIndexOf(url, "://");
      let start = 0;
      if (scheme >= 0) { start = strIndexOf(url, "/", scheme + 3); if (start < 0) return "/"; }
      const q = strIndexOf(url, "?", start);
      return strSlice(url, start, q < 0 ? url.length : q);
    }
    get mode() { return this.#field("mode"); }
    get credentials() { return this.#field("credentials"); }
    get cache() { return this.#field("cache"); }
    get redirect() { return this.#field("redirect"); }
    get referrer() { return this.#field("referrer"); }
    get referrerPolicy() { return this.#field("referrerPolicy"); }
    get integrity() { return this.#field("integrity"); }
    get keepalive() { return this.#field("keepalive"); }
    get destination() { return this.#field("destination"); }
    get duplex() { return this.#field("duplex"); }
    #field(name) { const std = this.#std; return std === null ? undefined : std[name]; }
    get isReloadNavigation() { return false; }
    get isHistoryNavigation() { return false; }
    get signal() {
      const std = this.#std;
      if (std === null) return undefined;
      if (std.signal === null) std.signal = newSignal(undefined);
      return std.signal;
    }
    get body() {
      if (this.#std !== null) { // one stream per request (its text cache is unused here)
        if (this.#text === undefined) {
          this.#text = bodyStreamOf(this.#raw);
          // a consumed body's stream is locked, as the standard's reader-holding consumer leaves it
          if (this.#used && this.#text !== null && this.#text !== this.#raw) hooks.streams.reader(this.#text);
        }
        return this.#text;
      }
      if (this.#raw === null) return null;
      if (this.#text === undefined) this.#text = bodyText(this.#raw);
      return this.#text;
    }
    get bodyUsed() { return this.#used || (this.#std !== null && this.#handedStream() && hooks.streams.disturbed(this.#text)); }
    #handedStream() { return this.#text !== undefined && this.#text !== null && isStream(this.#text); }
    get headers() {
      if (typeof this.#headers === "string") {
        this.#headers = this.#std === null ? parseHeaders(this.#headers) : headersFromWire(this.#headers);
      }
      return this.#headers;
    }
    get query() {
      if (this.#query === undefined) this.#query = parseQuery(this.url);
      return this.#query;
    }
    #take() {
      if (this.bodyUsed) {
        throw new TypeErrorCtor("Request body already read: text()/json()/arrayBuffer()/bytes() may be called once");
      }
      const handed = this.#std !== null && this.#handedStream() && this.#text !== this.#raw;
      if (handed && hooks.streams.unusable(this.#text)) throw new TypeErrorCtor("Request body stream is locked to a reader");
      if (this.#std === null || this.#raw !== null) this.#used = true;
      if (handed) hooks.streams.reader(this.#text); // the stream handed out is consumed with it
      return this.#raw;
    }
    text() {
      if (this.#std === null) { this.#take(); return this.#raw === null ? "" : this.body; }
      return consumeBody(this.#raw, false, () => this.#take(), (raw) => bodyText(raw));
    }
    json() {
      if (this.#std === null) {
        const text = this.text();
        if (text === "") return undefined;
        try { return jsonParse(text); } catch (_e) { return undefined; }
      }
      return consumeBody(this.#raw, false, () => this.#take(), (raw) => jsonParse(bodyText(raw)));
    }
    #consume(read) { return consumeBody(this.#raw, this.#std === null, () => this.#take(), read); }
    arrayBuffer() { return this.#consume((raw) => bodyBuffer(raw)); }
    bytes() { return this.#consume((raw) => new Uint8ArrayCtor(bodyBuffer(raw))); }
    blob() { return this.#consume((raw) => blobOf(raw, this.#mime())); }
    formData() { return this.#consume((raw) => formDataOf(raw, this.#mime())); }
    #mime() {
      const type = this.headers.get("content-type");
      return type === null ? "" : type;
    }
    clone() {
      if (this.#used) throw new TypeErrorCtor("Request.clone: the body is already used");
      if (this.#std === null) return new SeedRequest(this.method, this.url, headerWire(this.headers), this.#raw);
      const std = copyFields(this.#std);
      std.url = this.url;
      std.signal = newSignal(this.signal);
      return new RequestImpl(new HeadersImpl(this.headers), this.#raw, std, undefined);
    }
    toJSON() {
      return { method: this.method, url: this.url, path: this.path, query: this.query,
        headers: this.headers, body: this.#std === null ? this.body : bodyText(this.#raw) };
    }
    // (internal) what fetch() sends: [method, url, [[name, value]...], body bytes | null].
    static parts(request) {
      const pairs = headerPairs(request.headers instanceof HeadersImpl ? request.headers : new HeadersImpl(request.headers));
      return [request.method, request.url, pairs, request.#raw === null ? null : bodyBuffer(request.#raw), request.redirect];
    }
    static raw(request) { return request.#raw; }
    static fieldsOf(request) { return request.#std; }
    static layoutOf(request) { // (internal, at load: see requestLike)
      return [request.#headers, request.#query, request.#used, request.#raw, request.#text, request.#std, request.#origin];
    }
    static take(request) { return request.#take(); }
  }
  // The original's shape: own `method`, `url`, `path` data properties, which the writable
  // (sealed, not frozen) ones of this prototype let it create over the standard's getters.
  class SeedRequest extends RequestImpl {
    constructor(method, url, headers, raw) {
      super(headers, raw, null, undefined);
      this.method = method;
      this.url = url;
      const q = strIndexOf(url, "?");
      this.path = q < 0 ? url : strSlice(url, 0, q);
    }
  }
  for (const name of ["method", "url", "path"]) {
    defineProperty(SeedRequest.prototype, name, { value: undefined, writable: true });
  }
  defineProperty(SeedRequest.prototype, "constructor", { value: Request });
  const requestParts = RequestImpl.parts, requestRaw = RequestImpl.raw, requestTake = RequestImpl.take;
  const fromFields = RequestImpl.fieldsOf, layoutOf = RequestImpl.layoutOf;
  delete RequestImpl.parts; delete RequestImpl.raw; delete RequestImpl.take; delete RequestImpl.fieldsOf;
  delete RequestImpl.layoutOf;
  // Incoming requests are made like a model instance (hooks.objectLike: the engine shares the
  // model's shape and sets the values in place, patch 11) instead of running SeedRequest's and
  // RequestImpl's constructors and field initialiser per request (~8 k instructions of a ~34 k
  // plain request). The values are in the instances' layout: the private methods' brand
  // (undefined), RequestImpl's fields in declaration order, then SeedRequest's method, url,
  // path. requestLike proves that layout once with a probe; if it does not hold (a field
  // added, reordered), `incoming` runs the constructors as before.
  const SEED_MODEL = new SeedRequest("GET", "/", "", null), STD_MODEL = new RequestImpl("", null, null, "");
  function requestLike(probe, publicValues) { // probe: the model's objectLike with 1..7, then publicValues
    try {
      if (probe === undefined) return false;
      const fields = layoutOf(probe);
      for (let i = 0; i < 7; i++) if (fields[i] !== i + 1) return false;
      const names = Object.getOwnPropertyNames(probe);
      if (names.length !== publicValues.length) return false;
      for (let i = 0; i < names.length; i++) if (probe[names[i]] !== publicValues[i]) return false;
      return true;
    } catch (_e) {
      return false;
    }
  }
  const SEED_LIKE = requestLike(objectLike(SEED_MODEL, undefined, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), [8, 9, 10]);
  const STD_LIKE = requestLike(objectLike(STD_MODEL, undefined, 1, 2, 3, 4, 5, 6, 7), []);
  defineProperty(RequestImpl.prototype, Symbol.toStringTag, { value: "Request", configurable: true });
  function copyFields(from) {
    const f = objectCreate(DEFAULT_FIELDS);
    for (let i = 0; i < FIELDS.length; i++) f[FIELDS[i]] = from[FIELDS[i]];
    return f;
  }
  // request.signal: an AbortSignal following `parent` (web/abort's AbortController when it
  // is there); without it, the parent itself or a signal that never aborts.
  function newSignal(parent) {
    const Controller = global.AbortController;
    if (typeof Controller !== "function") {
      return parent !== undefined && parent !== null ? parent : freeze({ aborted: false, reason: undefined });
    }
    const controller = new Controller();
    if (parent !== undefined && parent !== null) {
      if (parent.aborted) controller.abort(parent.reason);
      else if (typeof parent.addEventListener === "function") {
        parent.addEventListener("abort", () => controller.abort(parent.reason));
      }
    }
    return controller.signal;
  }
  function checkSignal(signal) {
    if (signal === null || signal === undefined) return null;
    const Signal = global.AbortSignal;
    const ok = typeof Signal === "function" ? signal instanceof Signal
      : isObject(signal) && "aborted" in signal && typeof signal.addEventListener === "function";
    if (!ok) throw new TypeErrorCtor("new Request: init.signal must be an AbortSignal or null");
    return signal;
  }
  function enumOption(options, name, fallback) {
    const value = options[name];
    if (value === undefined) return fallback;
    const text = StringCtor(value);
    if (ENUMS[name][text] !== true) {
      throw new TypeErrorCtor(`new Request: init.${name} ${jsonStringify(text)} is not one of ${arrayJoin(objectKeys(ENUMS[name]), ", ")}`);
    }
    return text;
  }
  function normalMethod(value) {
    const method = StringCtor(value);
    if (!regexTest(TOKEN, method)) throw new TypeErrorCtor(`new Request: ${jsonStringify(method)} is not a valid method`);
    const upper = strToUpper(method);
    if (FORBIDDEN_METHOD[upper] === true) throw new TypeErrorCtor(`new Request: the method ${upper} is forbidden`);
    return NORMAL_METHOD[upper] === true ? upper : method;
  }
  // A server has no origin of its own: a valid referrer URL is "about:client", as for a
  // cross-origin one; an invalid one is a TypeError.
  function referrerOf(text) {
    if (text === "") return "";
    if (regexTest(SCHEME, text)) requestUrl(text, "new Request: init.referrer");
    return "about:client";
  }
  const CREDENTIALS = pinned(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*@/);
  // The Fetch standard's Request constructor (RequestInit validated as it says).
  function standardRequest(input, init) {
    const options = initOf(init);
    const from = input instanceof RequestImpl ? input : null;
    const fields = from === null ? null : fromFields(from);
    const std = from === null ? standardFields("GET", requestUrl(input))
      : fields === null ? standardFields(from.method, from.url) : copyFields(fields);
    if (from !== null) std.url = from.url;
    if (options.window !== undefined && options.window !== null) throw new TypeErrorCtor("new Request: init.window must be null");
    if (options.method !== undefined) std.method = normalMethod(options.method);
    std.mode = enumOption(options, "mode", std.mode);
    if (std.mode === "navigate") throw new TypeErrorCtor("new Request: init.mode cannot be \"navigate\"");
    std.credentials = enumOption(options, "credentials", std.credentials);
    std.cache = enumOption(options, "cache", std.cache);
    if (std.cache === "only-if-cached" && std.mode !== "same-origin") {
      throw new TypeErrorCtor("new Request: cache \"only-if-cached\" requires mode \"same-origin\"");
    }
    std.redirect = enumOption(options, "redirect", std.redirect);
    std.referrerPolicy = enumOption(options, "referrerPolicy", std.referrerPolicy);
    enumOption(options, "priority", "auto");
    if (options.referrer !== undefined) std.referrer = referrerOf(StringCtor(options.referrer));
    if (options.integrity !== undefined) std.integrity = StringCtor(options.integrity);
    if (std.mode === "no-cors" && (std.method !== "GET" && std.method !== "HEAD" && std.method !== "POST")) {
      throw new TypeErrorCtor(`new Request: a "no-cors" request's method must be GET, HEAD or POST, not ${std.method}`);
    }
    if (std.mode === "no-cors" && std.integrity !== "") {
      throw new TypeErrorCtor("new Request: a \"no-cors\" request cannot have integrity metadata");
    }
    if (options.keepalive !== undefined) std.keepalive = !!options.keepalive;
    const given = options.signal !== undefined ? checkSignal(options.signal) : from !== null ? from.signal : null;
    std.signal = given === null ? null : newSignal(given);
    const headers = new HeadersImpl(options.headers !== undefined ? options.headers : from !== null ? from.headers : undefined);
    let raw = null;
    if (options.body !== undefined && options.body !== null) {
      const extracted = extractBody(options.body, "new Request");
      raw = extracted[0];
      if (extracted[1] !== null && !headers.has("content-type")) headers.append("content-type", extracted[1]);
      if (options.duplex !== undefined) std.duplex = enumOption(options, "duplex", "half");
    } else if (from !== null && options.body === undefined) {
      if (from.bodyUsed) throw new TypeErrorCtor("new Request: the input Request's body is already used");
      raw = requestRaw(from);
      if (raw !== null) requestTake(from); // the body moves to the new Request
    }
    if (raw !== null && (std.method === "GET" || std.method === "HEAD")) {
      throw new TypeErrorCtor(`new Request: a ${std.method} request cannot have a body`);
    }
    return new RequestImpl(headers, raw, std, undefined);
  }
  // A URL string: an absolute one is checked (no credentials, parsed by URL when web/url
  // defines it); a relative one is kept as given, a server having no base to resolve it.
  function requestUrl(input, where = "new Request") {
    const url = StringCtor(input);
    if (regexTest(CREDENTIALS, url)) throw new TypeErrorCtor(`${where}: ${jsonStringify(url)} includes credentials`);
    const URLCtor = global.URL;
    if (typeof URLCtor === "function" && strIndexOf(url, ":") > 0 && regexTest(SCHEME, url)) {
      try { return new URLCtor(url).href; } catch (_e) { throw new TypeErrorCtor(`${where}: invalid URL ${jsonStringify(url)}`); }
    }
    return url;
  }
  const SCHEME = pinned(/^[a-zA-Z][a-zA-Z0-9+.-]*:/);

  // `Request(input, init)` without `new` is the original zigttp's factory (its shape, the
  // URL reduced to path + query); `new Request(...)` is the Fetch standard's.
  function Request(input, init) {
    if (new.target !== undefined) {
      const request = standardRequest(input, init);
      if (new.target !== Request) setPrototypeOf(request, new.target.prototype);
      return request;
    }
    const options = initOf(init);
    let url = StringCtor(input);
    const scheme = strIndexOf(url, "://");
    if (scheme >= 0) {
      const slash = strIndexOf(url, "/", scheme + 3);
      url = slash < 0 ? "/" : strSlice(url, slash);
    }
    const headers = objectCreate(null);
    if (options.headers !== undefined) {
      new HeadersImpl(options.headers).forEach((value, name) => { headers[name] = value; });
    }
    const method = options.method === undefined ? "GET" : strToUpper(StringCtor(options.method));
    const given = options.body;
    const body = given === undefined || given === null ? null : isBinary(given) ? given : StringCtor(given);
    return new SeedRequest(method, url, headerWire(headers), body);
  }
  Request.prototype = RequestImpl.prototype;
  defineProperty(RequestImpl.prototype, "constructor", { value: Request });

  // ---- console ---------------------------------------------------------------------------
  // The full namespace is web/05-console.js (read on first use); it writes through these:
  // hostConsole (the per-request byte limit) and show (captured before handler code runs).
  function show(value) {
    if (typeof value === "string") return value;
    if (value instanceof ErrorCtor) return value.stack ? `${StringCtor(value)}\n${value.stack}` : StringCtor(value);
    if (typeof value === "function") return `[Function ${value.name || "anonymous"}]`;
    try {
      const text = jsonStringify(value);
      return text === undefined ? StringCtor(value) : text;
    } catch (_e) {
      return StringCtor(value);
    }
  }
  function logger(level) {
    return function (...args) {
      const parts = list();
      for (let i = 0; i < args.length; i++) arrayPush(parts, show(args[i]));
      hostConsole(level, arrayJoin(parts, " "));
    };
  }
  // Enough for a runtime without the web files (tests/engine); they replace it.
  const consoleObject = {
    log: logger("info"), info: logger("info"), debug: logger("debug"),
    warn: logger("warn"), error: logger("error"),
  };
  hooks.consoleLine = hostConsole;
  hooks.consoleShow = show;

  // ---- dispatch --------------------------------------------------------------------------
  // FAIL kinds: X handler threw, H no/invalid handler, R invalid result. Which X is really a
  // stack overflow, a call-depth overflow or out of memory, the engine's fault flags say.
  function fail(kind, message) { return [0, kind, StringCtor(message)]; }

  function errorMessage(error) {
    if (error instanceof ErrorCtor) {
      const message = error.message;
      return typeof message === "string" && message !== "" ? message : StringCtor(error.name || "Error");
    }
    try { return StringCtor(error); } catch (_e) { return "handler threw a value that cannot be printed"; }
  }
  function classify(error) {
    try {
      const stack = error instanceof ErrorCtor && typeof error.stack === "string" ? error.stack : "";
      return fail("X", errorMessage(error) + (stack ? "\n" + stack : ""));
    } catch (_e) {
      return fail("X", "handler threw a value that cannot be printed");
    }
  }

  // The handler is looked up per request (a handler may be reassigned), without allocating:
  // `export default { fetch }` objects get one cached wrapper.
  // A `{ fetch }` handler gets the Fetch standard's Request, a function the original's shape.
  let fetchOwner = null;
  let fetchWrapper = null;
  // `fetch(request, env, ctx)`: env is empty (no bindings yet); ctx.waitUntil(promise) keeps
  // the runtime's loop (timers included) running after the response, within the deadline.
  let waiting = 0; // waitUntil promises of the current request not settled yet
  let serial = 0; // the running request: timers of an earlier one never fire (web/timers.js)
  const settled = () => { waiting--; };
  const fetchEnv = freeze(objectCreate(null));
  const fetchCtx = freeze({
    waitUntil(promise) {
      const mine = serial;
      waiting++;
      call(promiseThen, call(promiseResolve, PromiseCtor, promise),
        () => { if (mine === serial) settled(); }, () => { if (mine === serial) settled(); });
    },
    passThroughOnException() {},
  });
  hooks.request = () => serial;
  hooks.alive = (phase) => (phase === 0 ? pending !== null && !pending.done : waiting > 0);
  function asHandler(candidate) {
    if (typeof candidate === "function") return candidate;
    if (candidate && typeof candidate === "object" && typeof candidate.fetch === "function") {
      if (candidate !== fetchOwner) {
        fetchOwner = candidate;
        fetchWrapper = (request) => candidate.fetch(request, fetchEnv, fetchCtx);
      }
      return fetchWrapper;
    }
    return null;
  }
  // (SeedRequest's and RequestImpl's constructors' values, made like a model: requestLike)
  function incoming(handler, method, url, headersWire, body, origin) {
    if (handler !== fetchWrapper) {
      if (!SEED_LIKE) return new SeedRequest(method, url, headersWire, body);
      const q = strIndexOf(url, "?");
      return objectLike(SEED_MODEL, undefined, headersWire, undefined, false, body, undefined, null, undefined,
        method, url, q < 0 ? url : strSlice(url, 0, q));
    }
    const std = standardFields(method, url), from = origin === undefined ? "" : origin;
    if (!STD_LIKE) return new RequestImpl(headersWire, body, std, from);
    return objectLike(STD_MODEL, undefined, headersWire, undefined, false, body, undefined, std, from);
  }
  function findHandler() {
    const exported = global.__zigttp_exports;
    if (exported) {
      const found = asHandler(exported.handler) || asHandler(exported.default);
      if (found) return found;
    }
    // `typeof handler` also sees top-level `const handler = ...` of the user's script.
    return typeof handler === "undefined" ? null : asHandler(handler);
  }

  function encodePlainHeaders(headers) {
    if (headers instanceof HeadersImpl) return headersBlock(headers);
    if (headers === undefined || headers === null) return "";
    if (typeof headers !== "object") throw new TypeErrorCtor("response headers must be an object");
    return headersBlock(new HeadersImpl(headers));
  }

  function badBody(body) {
    return fail("R", `response body must be a string or bytes, got ${typeof body}; use Response.json() for data`);
  }

  // A response for the host: [status, header lines, body string or bytes].
  function encode(result) {
    return isResponse(result) ? responseParts(result) : encodeOther(result);
  }
  // (dispatch checked isResponse already)
  function encodeOther(result) {
    if (result instanceof ResponseImpl) return responseParts(result); // (throws: no brand)
    if (typeof result === "string") {
      return [200, "content-type: text/plain; charset=utf-8\r\n", result];
    }
    if (result === null || typeof result !== "object") {
      return fail("R", `handler returned ${result === null ? "null" : typeof result}; ` +
        "return a Response, e.g. Response.json({...}) or Response.text(\"...\")");
    }
    if (!hasOwn(result, "status") && !hasOwn(result, "body") && !hasOwn(result, "headers")) {
      return fail("R", "handler returned an object that is not a Response (no status, headers or body); " +
        "wrap data with Response.json(data)");
    }
    const status = checkStatus(result.status);
    const block = encodePlainHeaders(result.headers);
    let body = result.body;
    if (body === undefined || body === null) body = "";
    if (typeof body !== "string" && !isBinary(body)) return badBody(body);
    return [status, block, body];
  }

  // ---- builtin integrity -------------------------------------------------------------------
  // Snapshot after the handler's top level ran (its own polyfills are fine); a request that
  // changes a shared builtin afterwards taints the context, which the host then replaces.
  // The builtins handler code leans on most; what the glue itself uses is captured above.
  const WATCH = [
    [ObjectProto, ["toString", "valueOf", "hasOwnProperty", "constructor"]],
    [ArrayProto, ["push", "join", "map", "forEach", SymbolIterator]],
    [StringProto, ["split", "replace", "toLowerCase", "indexOf"]],
    [Function.prototype, ["call", "apply", "bind"]],
    [PromiseCtor.prototype, ["then"]],
    [JSON, ["stringify", "parse"]],
    [global, ["Object", "Array", "JSON", "Promise", "String", "Error", "Response", "Headers", "Request"]],
  ];
  const preventExtensions = Object.preventExtensions;
  // The watched list [object, key, ...] for the host: it records each one's own descriptor
  // and compares them after every request in C (native/engine/integrity.c), which runs no
  // handler code (no getter) and costs no call into JS. `intact()` is the same comparison in
  // JS, for a host that does not record the list.
  let watchedList = null, watchedState = null;
  function snapshot() {
    // From now on no key can be added to the shared prototypes: a request cannot plant
    // `isAdmin` (or a setter) on Object.prototype. The handler's top level already ran, so its
    // own polyfills are in; replacing an existing method is caught by the comparison instead.
    preventExtensions(ObjectProto); preventExtensions(ArrayProto);
    preventExtensions(StringProto); preventExtensions(Function.prototype);
    const list = safeList(), state = safeList();
    for (let i = 0; i < WATCH.length; i++) {
      const keys = WATCH[i][1];
      for (let j = 0; j < keys.length; j++) {
        arrayPush(list, WATCH[i][0]); arrayPush(list, keys[j]);
        arrayPush(state, getOwnDescriptor(WATCH[i][0], keys[j]));
      }
    }
    watchedList = list; watchedState = state;
    return list;
  }
  function intact() {
    if (watchedList === null) return true;
    for (let i = 0; i < watchedState.length; i++) {
      const was = watchedState[i], now = getOwnDescriptor(watchedList[2 * i], watchedList[2 * i + 1]);
      if (was === undefined || now === undefined) { if (was !== now) return false; continue; }
      if (was.value !== now.value || was.get !== now.get || was.set !== now.set) return false;
    }
    return true;
  }
  let pending = null;
  function dispatch(method, url, headersWire, body, origin) {
    consoleBytes = 0;
    serial++;
    streaming = null;
    waiting = 0;
    pending = null;
    const handler = findHandler();
    if (handler === null) {
      return fail("H", "no handler defined: define `function handler(request)`, " +
        "`export default function handler(request)` or `export default { fetch(request) }`");
    }
    try {
      const result = handler(incoming(handler, method, url, headersWire, body, origin));
      if (isResponse(result)) return responseParts(result); // (encode's first case, one call less)
      if (result !== null && typeof result === "object" && typeof result.then === "function") {
        const state = objectCreate(null);
        state.done = false;
        pending = state;
        call(promiseThen, call(promiseResolve, PromiseCtor, result),
          (value) => { state.done = true; state.value = value; },
          (error) => { state.done = true; state.error = error; state.failed = true; });
        return null;
      }
      return encodeOther(result);
    } catch (error) {
      return classify(error);
    }
  }
  // ---- streamed responses ------------------------------------------------------------------
  // The host pulls the body of a Response whose body is a stream, one chunk per call, on this
  // runtime's thread (runtime_pull in C): pull(0) starts a read (undefined: the loop runs until
  // it settles, `pending` keeping it alive), pull(1) answers bytes or null at the end; pull(2)
  // cancels it (the client went away, or the deadline). A failed stream answers [0, "X", ...].
  let streaming = null; // the reader over the streamed body, until it ends
  let reading = null;
  function pull(step) {
    const reader = streaming;
    if (reader === null) return null;
    if (step === 2) { streaming = null; pending = null; try { reader.cancel(undefined); } catch (_e) { /* gone */ } return null; }
    if (step === 0) {
      const state = objectCreate(null);
      state.done = false;
      reading = state;
      pending = state;
      reader.read((chunk) => { state.done = true; state.chunk = chunk; },
        () => { state.done = true; state.end = true; },
        (error) => { state.done = true; state.failed = true; state.error = error; });
      return undefined;
    }
    const state = reading;
    reading = null; pending = null;
    if (state === null || !state.done) {
      streaming = null;
      return fail("R", "the response's body stream stalled: no chunk, end or error while nothing else was pending");
    }
    if (state.failed) { streaming = null; return classify(state.error); }
    if (state.end) { streaming = null; return null; }
    try { return chunkBytes(state.chunk); } catch (error) { streaming = null; return classify(error); }
  }
  function settle() {
    const state = pending;
    pending = null;
    if (state === null || !state.done) {
      return fail("R", "handler returned a promise that never settled (no pending jobs left)");
    }
    if (state.failed) return classify(state.error);
    try { return encode(state.value); } catch (error) { return classify(error); }
  }

  for (const glue of [Headers, HeadersImpl.prototype, Response, ResponseImpl.prototype, Request,
    RequestImpl.prototype, HeadersIterator, SeedRequest]) freeze(glue);
  Object.seal(SeedRequest.prototype);
  global.Headers = Headers;
  global.Response = Response;
  global.Request = Request;
  global.console = consoleObject;
  global.__zigttp_use_jsx = useJsx; // taken (and deleted) by jsx_runtime.js, next
  // For the web API's own files (web/fetch.js) and the zigttp:fetch shim, never handler code.
  hooks.fetchInternals = freeze({ makeResponse, requestParts, isRequest: (v) => v instanceof RequestImpl,
    newRequest: standardRequest });
  return freeze({ dispatch, settle, intact, snapshot, pull });
})
