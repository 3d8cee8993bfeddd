// zigttp prelude: the Web-style API a handler sees (Response, Headers, Request, console) and
// the dispatcher the host calls once per request.
//
// Rules this file keeps (SECURITY.md, "Hostile handlers"):
// * Every builtin it relies on is captured here, at load, before user code runs -- the function
//   values themselves, never a `String.prototype.x` looked up later -- so a handler that
//   overwrites JSON.stringify, Object.prototype, Array.prototype or Response cannot fool the glue.
// * No `for...of`, spread or `instanceof Promise` on the hot path (all reach user-replaceable
//   iterators or hooks); internal records have a null prototype (no inherited setters).
// * Response, Headers, Request and their prototypes are frozen; after every request `intact()`
//   compares the shared builtins with their state after the handler loaded, and a request that
//   changed them ("T" prefix) makes the host replace the context before the next request.
// * This file evaluates to one function, which the engine extension (native/engine) calls
//   with its `hooks` (console, host, utf8Decode, utf8Encode): the hooks and the returned
//   dispatcher stay in this closure and in C, never on globalThis, so handler code (indirect
//   eval included) cannot reach, call or replace them.
// * The host calls dispatch(method, url, "name\0value\0..." headers, body ArrayBuffer | null)
//   and reads the answer in C (marshal.c):
//     [status, "name: value\r\n"..., body]   a response; body a string or bytes (see `encode`)
//     [0, kind, message]                    a failure (kinds at FAIL below)
//     null                                  a pending promise: the host runs jobs, then settle()
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
  const fnCall = Function.prototype.call;
  const call = fnCall.bind(fnCall); // call(f, this, ...args): no lookup of `.call` at run time
  const objHasOwn = ObjectProto.hasOwnProperty;
  const sIndexOf = StringProto.indexOf, sSlice = StringProto.slice, sSplit = StringProto.split;
  const sLower = StringProto.toLowerCase, sUpper = StringProto.toUpperCase;
  const sReplaceAll = StringProto.replaceAll;
  const reExec = RegExpProto.exec, reTest = RegExpProto.test;
  const aPush = ArrayProto.push, aJoin = ArrayProto.join, aValues = ArrayProto[SymbolIterator];
  const hasOwn = (obj, key) => call(objHasOwn, obj, key);
  const strIndexOf = (s, sub, from) => call(sIndexOf, s, sub, from);
  const strSlice = (s, a, b) => call(sSlice, s, a, b);
  const strSplit = (s, sep) => call(sSplit, s, sep);
  const strToLower = (s) => call(sLower, s);
  const strToUpper = (s) => call(sUpper, s);
  const strReplaceAll = (s, a, b) => call(sReplaceAll, s, a, b);
  const regexTest = (re, s) => call(reTest, re, s);
  const arrayPush = (arr, v) => call(aPush, arr, v);
  const arrayJoin = (arr, sep) => call(aJoin, arr, sep);
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
  const BAD_VALUE = pinned(/[\r\n\0]/);
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
  function checkName(name) {
    const n = StringCtor(name);
    if (!regexTest(TOKEN, n)) throw new TypeErrorCtor(`Headers: invalid header name ${jsonStringify(n)}`);
    return strToLower(n);
  }
  function checkValue(name, value) {
    const v = StringCtor(value);
    if (regexTest(BAD_VALUE, v)) {
      throw new TypeErrorCtor(`Headers: value of ${jsonStringify(name)} contains CR, LF or NUL`);
    }
    return v;
  }

  const LINES = Symbol("zigttp.lines");
  // Framing belongs to the server: a handler's own values for these are dropped on the wire.
  const FRAMING = { "content-length": true, "transfer-encoding": true, "connection": true, "keep-alive": true };
  function wireLine(name, value) {
    return FRAMING[name] === true ? "" : name + ": " + value + "\r\n";
  }
  class HeadersImpl {
    #map = objectCreate(null);
    #cookies = safeList();
    constructor(init) {
      if (init !== undefined && init !== null) fillHeaders(this, init);
    }
    get(name) {
      const key = strToLower(StringCtor(name));
      if (key === "set-cookie") return this.#cookies.length ? arrayJoin(this.#cookies, ", ") : null;
      const value = this.#map[key];
      return value === undefined ? null : value;
    }
    has(name) {
      const key = strToLower(StringCtor(name));
      return key === "set-cookie" ? this.#cookies.length > 0 : this.#map[key] !== undefined;
    }
    set(name, value) {
      const key = checkName(name);
      const v = checkValue(key, value);
      if (key === "set-cookie") { this.#cookies.length = 0; arrayPush(this.#cookies, v); }
      else this.#map[key] = v;
    }
    append(name, value) {
      const key = checkName(name);
      const v = checkValue(key, value);
      if (key === "set-cookie") arrayPush(this.#cookies, v);
      else this.#map[key] = this.#map[key] === undefined ? v : this.#map[key] + ", " + v;
    }
    delete(name) {
      const key = strToLower(StringCtor(name));
      if (key === "set-cookie") this.#cookies.length = 0;
      else delete this.#map[key];
    }
    forEach(fn, thisArg) {
      const keys = objectKeys(this.#map), cookies = this.#cookies;
      for (let i = 0; i < keys.length; i++) call(fn, thisArg, this.#map[keys[i]], keys[i], this);
      for (let i = 0; i < cookies.length; i++) call(fn, thisArg, cookies[i], "set-cookie", this);
    }
    entries() {
      const out = [];
      this.forEach((value, name) => arrayPush(out, [name, value]));
      return call(aValues, out);
    }
    keys() {
      const out = [];
      this.forEach((_value, name) => arrayPush(out, name));
      return call(aValues, out);
    }
    values() {
      const out = [];
      this.forEach((value) => arrayPush(out, value));
      return call(aValues, out);
    }
    [Symbol.iterator]() { return this.entries(); }
    toJSON() {
      const out = {};
      this.forEach((value, name) => { out[name] = value; });
      return out;
    }
    [LINES]() {
      const keys = objectKeys(this.#map), cookies = this.#cookies;
      let block = "";
      for (let i = 0; i < keys.length; i++) block += wireLine(keys[i], this.#map[keys[i]]);
      for (let i = 0; i < cookies.length; i++) block += "set-cookie: " + cookies[i] + "\r\n";
      return block;
    }
  }
  const headersBlock = HeadersImpl.prototype[LINES];
  function fillHeaders(target, init) {
    if (init instanceof HeadersImpl) {
      init.forEach((value, name) => target.append(name, value));
    } else if (isArray(init)) {
      for (let i = 0; i < init.length; i++) target.append(init[i][0], init[i][1]);
    } else if (typeof init === "object") {
      const names = objectKeys(init);
      for (let i = 0; i < names.length; i++) {
        const name = names[i];
        const value = init[name];
        if (value === undefined || value === null) continue;
        if (isArray(value)) { for (let j = 0; j < value.length; j++) target.append(name, value[j]); }
        else target.set(name, value);
      }
    } else {
      throw new TypeErrorCtor("Headers: init must be an object, an array of pairs or Headers");
    }
  }
  function Headers(init) { return new HeadersImpl(init); }
  Headers.prototype = HeadersImpl.prototype;
  defineProperty(HeadersImpl.prototype, "constructor", { value: Headers });

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
  // Bytes bodies (ArrayBuffer or any view of one) travel raw: marshal.c copies them out.
  const isView = ArrayBufferCtor.isView;
  function isBinary(body) { return body instanceof ArrayBufferCtor || isView(body); }
  function bodyText(body) {
    if (body === null || body === undefined) return "";
    return typeof body === "string" ? body : utf8Decode(body);
  }
  function bodyBuffer(body) {
    if (body === null || body === undefined) return new ArrayBufferCtor(0);
    if (typeof body === "string") return utf8Encode(body);
    if (body instanceof ArrayBufferCtor) return body;
    return new Uint8ArrayCtor(body.buffer, body.byteOffset, body.byteLength).slice().buffer;
  }

  class ResponseImpl {
    #headers = null; // HeadersImpl once materialised
    #type; // default content-type, or null
    #extra; // the caller's init.headers, merged when materialised
    constructor(body, status, statusText, type, extra) {
      this.body = body;
      this.status = status;
      if (statusText !== undefined) defineProperty(this, "statusText", { value: StringCtor(statusText), enumerable: true });
      this.#type = type;
      this.#extra = extra;
      if (extra !== undefined && extra !== null) this.headers; // validate eagerly: errors point at the caller
    }
    get headers() {
      if (this.#headers === null) {
        const headers = new HeadersImpl();
        if (this.#type !== null) headers.set("content-type", this.#type);
        if (this.#extra !== undefined && this.#extra !== null) fillHeaders(headers, this.#extra);
        this.#headers = headers;
      }
      return this.#headers;
    }
    set headers(value) { this.#headers = value instanceof HeadersImpl ? value : new HeadersImpl(value); }
    get ok() { return this.status >= 200 && this.status <= 299; }
    get statusText() { return STATUS_TEXT[this.status] || ""; }
    text() { return bodyText(this.body); }
    json() { return jsonParse(bodyText(this.body)); }
    arrayBuffer() { return bodyBuffer(this.body); }
    bytes() { return new Uint8ArrayCtor(bodyBuffer(this.body)); }
    [LINES]() {
      if (this.#headers !== null) return call(headersBlock, this.#headers);
      return this.#type !== null ? "content-type: " + this.#type + "\r\n" : "";
    }
  }
  // Never a thenable, even with a polluted Object.prototype.then: an async handler's Response
  // must resolve to itself.
  defineProperty(ResponseImpl.prototype, "then", { value: undefined });
  // Called through these captured references: a Proxy posing as a Response fails the private
  // field brand check instead of supplying its own header lines.
  const responseBlock = ResponseImpl.prototype[LINES];
  // ---- JSX elements as bodies -------------------------------------------------------------
  // jsx_runtime.js (evaluated after this file) hands over its renderer once, through a
  // global it deletes; an element renders to HTML, any other object is refused instead of
  // being sent as "[object Object]".
  const HTML = "text/html; charset=utf-8";
  let renderElement = (_value) => undefined;
  let jsxReady = false;
  function useJsx(render) {
    if (!jsxReady) { jsxReady = true; renderElement = render; }
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
  function Response(body, init) {
    const options = initOf(init);
    let text = body, type = null;
    if (typeof body === "string") type = "text/plain; charset=utf-8";
    else if (body === undefined || body === null) text = "";
    else if (isObject(body) && !isBinary(body)) {
      text = elementBody(body, "new Response", "a string, a Uint8Array/ArrayBuffer or a JSX element", Response);
      type = HTML;
    }
    else if (!isBinary(body)) text = StringCtor(body);
    return new ResponseImpl(text, checkStatus(options.status), options.statusText, type, options.headers);
  }
  Response.prototype = ResponseImpl.prototype;
  defineProperty(ResponseImpl.prototype, "constructor", { value: Response });
  function typed(body, init, type) {
    if (init === undefined) return new ResponseImpl(body, 200, undefined, type, undefined);
    const options = initOf(init);
    return new ResponseImpl(body, checkStatus(options.status), options.statusText, type, options.headers);
  }
  Response.json = function (data, init) {
    // (no `arguments` here: referencing it allocates an arguments object on every call)
    const body = data === undefined ? "{}" : jsonStringify(data);
    return typed(body === undefined ? "null" : body, init, "application/json");
  };
  Response.text = function text(body, init) {
    return typed(typeof body === "string" ? body : textOf(body, "Response.text", text), init,
      "text/plain; charset=utf-8");
  };
  Response.html = function html(body, init) {
    return typed(typeof body === "string" ? body : textOf(body, "Response.html", html), init, HTML);
  };
  Response.redirect = function (url, status) {
    const code = status === undefined ? 302 : status;
    if (!NumberIsInteger(code) || code < 300 || code > 399) {
      throw new RangeErrorCtor(`Response.redirect: status must be a 3xx integer, got ${StringCtor(code)}`);
    }
    return new ResponseImpl("", code, undefined, null, { location: StringCtor(url) });
  };
  Response.rawJson = function (text, init) { return typed(StringCtor(text), init, "application/json"); };

  // ---- Request ---------------------------------------------------------------------------
  const INT32 = pinned(/^-?[0-9]+$/);
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

  // The incoming request: headers, query and the body's text are computed on first use
  // (most handlers never touch them); toJSON keeps `JSON.stringify(request)` complete.
  // The body stays as the bytes that arrived (an ArrayBuffer, or a string for a Request the
  // handler built): arrayBuffer()/bytes() return them unchanged, text()/json()/body decode.
  class RequestImpl {
    #headers; // "name\0value\0..." until first use, then the parsed object
    #query = undefined;
    #used = false;
    #raw; // ArrayBuffer, string or null
    #text = undefined;
    constructor(method, url, headers, raw) {
      this.method = method;
      this.url = url;
      const q = strIndexOf(url, "?");
      this.path = q < 0 ? url : strSlice(url, 0, q);
      this.#headers = headers;
      this.#raw = raw;
    }
    get body() {
      if (this.#raw === null) return null;
      if (this.#text === undefined) this.#text = bodyText(this.#raw);
      return this.#text;
    }
    get headers() {
      if (typeof this.#headers === "string") this.#headers = parseHeaders(this.#headers);
      return this.#headers;
    }
    get query() {
      if (this.#query === undefined) this.#query = parseQuery(this.url);
      return this.#query;
    }
    #take() {
      if (this.#used) {
        throw new TypeErrorCtor("Request body already read: text()/json()/arrayBuffer()/bytes() may be called once");
      }
      this.#used = true;
    }
    text() { this.#take(); return this.#raw === null ? "" : this.body; }
    json() {
      const text = this.text();
      if (text === "") return undefined;
      try { return jsonParse(text); } catch (_e) { return undefined; }
    }
    arrayBuffer() { this.#take(); return bodyBuffer(this.#raw); }
    bytes() { return new Uint8ArrayCtor(this.arrayBuffer()); }
    toJSON() {
      return { method: this.method, url: this.url, path: this.path, query: this.query,
        headers: this.headers, body: this.body };
    }
  }

  function Request(input, init) {
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
    return new RequestImpl(method, url, headerWire(headers), body);
  }
  Request.prototype = RequestImpl.prototype;
  defineProperty(RequestImpl.prototype, "constructor", { value: Request });

  // ---- console ---------------------------------------------------------------------------
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
  const consoleObject = {
    log: logger("info"), info: logger("info"), debug: logger("debug"),
    warn: logger("warn"), error: logger("error"),
  };

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
    if (headers instanceof HeadersImpl) return call(headersBlock, headers);
    if (headers === undefined || headers === null) return "";
    if (typeof headers !== "object") throw new TypeErrorCtor("response headers must be an object");
    return call(headersBlock, new HeadersImpl(headers));
  }

  function badBody(body) {
    return fail("R", `response body must be a string or bytes, got ${typeof body}; use Response.json() for data`);
  }

  // A response for the host: [status, header lines, body string or bytes].
  function encode(result) {
    if (result instanceof ResponseImpl) {
      const body = result.body; // own, writable: re-checked like the status
      if (typeof body !== "string" && !isBinary(body)) return badBody(body);
      return [checkStatus(result.status), call(responseBlock, result), body];
    }
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
  const FunctionCtor = Function;
  const preventExtensions = Object.preventExtensions;
  // The identity checks are compiled once per context into straight-line code (`o3.push === v3
  // && ...`): ~10x faster in quickjs than a loop over arrays of objects, keys and values.
  // Built from strings and null-prototype holders: immune to Array.prototype setters.
  let identical = () => true;
  function snapshot() {
    // From now on no key can be added to the shared prototypes: a request cannot plant
    // `isAdmin` (or a setter) on Object.prototype. The handler's top level already ran, so its
    // own polyfills are in; replacing an existing method is caught by `identical` instead.
    preventExtensions(ObjectProto); preventExtensions(ArrayProto);
    preventExtensions(StringProto); preventExtensions(Function.prototype);
    const objects = objectCreate(null), values = objectCreate(null);
    let names = "", terms = "true", count = 0;
    for (let i = 0; i < WATCH.length; i++) {
      const target = WATCH[i][0], keys = WATCH[i][1];
      objects[i] = target;
      names += ", o" + i + " = O[" + i + "]";
      for (let j = 0; j < keys.length; j++) {
        const key = keys[j];
        const access = typeof key === "symbol" ? "[I]" : "." + key;
        terms += " && o" + i + access + " === v" + count;
        names += ", v" + count + " = V[" + count + "]";
        values[count++] = target[key];
      }
    }
    identical = new FunctionCtor("O", "V", "I", "const _ = 0" + names +
      "; return function () { return " + terms + "; };")(objects, values, SymbolIterator);
  }
  function intact() { try { return identical(); } catch (_e) { return false; } }

  let pending = null;
  function dispatch(method, url, headersWire, body) {
    consoleBytes = 0;
    serial++;
    waiting = 0;
    pending = null;
    const handler = findHandler();
    if (handler === null) {
      return fail("H", "no handler defined: define `function handler(request)`, " +
        "`export default function handler(request)` or `export default { fetch(request) }`");
    }
    try {
      const result = handler(new RequestImpl(method, url, headersWire, body));
      if (result !== null && typeof result === "object" && !(result instanceof ResponseImpl)
          && typeof result.then === "function") {
        const state = objectCreate(null);
        state.done = false;
        pending = state;
        call(promiseThen, call(promiseResolve, PromiseCtor, result),
          (value) => { state.done = true; state.value = value; },
          (error) => { state.done = true; state.error = error; state.failed = true; });
        return null;
      }
      return encode(result);
    } catch (error) {
      return classify(error);
    }
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
    RequestImpl.prototype]) freeze(glue);
  global.Headers = Headers;
  global.Response = Response;
  global.Request = Request;
  global.console = consoleObject;
  global.__zigttp_use_jsx = useJsx; // taken (and deleted) by jsx_runtime.js, next
  return freeze({ dispatch, settle, intact, snapshot });
})
