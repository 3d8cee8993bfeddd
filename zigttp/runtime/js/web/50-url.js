// lazy: URL URLSearchParams
// URL and URLSearchParams (WHATWG URL Standard). Parsing and the setters are ada's (through
// hooks.native("url.*"), zigttp/web/url.py); URLSearchParams and the
// application/x-www-form-urlencoded parser and serializer are JS (they are simple, and a
// live link between a URL and its searchParams is easier kept on one side).
(function (hooks) {
  "use strict";
  const native = hooks.native, utf8Encode = hooks.utf8Encode, utf8Decode = hooks.utf8Decode;
  const TypeErrorCtor = TypeError;
  const Uint8ArrayCtor = Uint8Array;
  const SymbolIterator = Symbol.iterator;
  // Index of each component in the list url.parse answers (COMPONENTS in url.py).
  const HREF = 0, ORIGIN = 1, PROTOCOL = 2, USERNAME = 3, PASSWORD = 4, HOST = 5, HOSTNAME = 6,
    PORT = 7, PATHNAME = 8, SEARCH = 9, HASH = 10;

  // ---- application/x-www-form-urlencoded ------------------------------------------------
  const HEX = "0123456789ABCDEF";
  function hexValue(c) {
    return c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1;
  }
  function percentDecode(text) {
    if (text.indexOf("%") < 0) return text;
    const bytes = new Uint8ArrayCtor(utf8Encode(text));
    const out = new Uint8ArrayCtor(bytes.length);
    let n = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (b === 37 && i + 2 < bytes.length) {
        const hi = hexValue(bytes[i + 1]), lo = hexValue(bytes[i + 2]);
        if (hi >= 0 && lo >= 0) { out[n++] = hi * 16 + lo; i += 2; continue; }
      }
      out[n++] = b;
    }
    return utf8Decode(out.subarray(0, n), true); // UTF-8 decode *without* BOM: %EF%BB%BF stays U+FEFF
  }
  function plusToSpace(text) { return text.indexOf("+") < 0 ? text : text.replace(/\+/g, " "); }
  function parseForm(input) {
    const list = [];
    const sequences = input.split("&");
    for (let i = 0; i < sequences.length; i++) { // (no iterator: a query is parsed per request)
      const sequence = sequences[i];
      if (sequence === "") continue;
      const eq = sequence.indexOf("=");
      const name = eq < 0 ? sequence : sequence.slice(0, eq);
      const value = eq < 0 ? "" : sequence.slice(eq + 1);
      list.push([percentDecode(plusToSpace(name)), percentDecode(plusToSpace(value))]);
    }
    return list;
  }
  function serializePart(text) {
    const bytes = new Uint8ArrayCtor(utf8Encode(text));
    let out = "";
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (b === 0x2a || b === 0x2d || b === 0x2e || b === 0x5f || (b >= 0x30 && b <= 0x39) ||
        (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)) out += String.fromCharCode(b);
      else if (b === 0x20) out += "+";
      else out += "%" + HEX[b >> 4] + HEX[b & 15];
    }
    return out;
  }
  function serializeForm(list) {
    let out = "";
    for (let i = 0; i < list.length; i++) {
      if (i > 0) out += "&";
      out += serializePart(list[i][0]) + "=" + serializePart(list[i][1]);
    }
    return out;
  }
  // USVString conversion: lone surrogates become U+FFFD.
  function usv(value) {
    const text = String(value);
    return typeof text.toWellFormed === "function" ? text.toWellFormed() : text;
  }

  // ---- URLSearchParams -------------------------------------------------------------------
  const PARAMS = new WeakMap(); // URLSearchParams → { list, url: URL | null }
  function params(self, what) {
    const s = PARAMS.get(self);
    if (s === undefined) throw new TypeErrorCtor(`URLSearchParams.prototype.${what}: illegal invocation`);
    return s;
  }
  function update(s) {
    if (s.url === null) return;
    const text = serializeForm(s.list);
    urlSetSearch(s.url, text === "" ? "" : "?" + text);
  }

  class URLSearchParams {
    constructor(init = "") {
      const s = { list: [], url: null };
      PARAMS.set(this, s);
      if (init !== null && (typeof init === "object" || typeof init === "function")) {
        const iterator = init[SymbolIterator];
        if (iterator !== undefined && iterator !== null) {
          if (typeof iterator !== "function") throw new TypeErrorCtor("URLSearchParams: init[Symbol.iterator] is not a function");
          for (const pair of init) {
            if ((typeof pair !== "object" && typeof pair !== "function") || pair === null || typeof pair[SymbolIterator] !== "function") {
              throw new TypeErrorCtor("URLSearchParams: each pair must be a sequence of two strings");
            }
            const items = Array.from(pair);
            if (items.length !== 2) throw new TypeErrorCtor("URLSearchParams: each pair must have exactly two items");
            s.list.push([usv(items[0]), usv(items[1])]);
          }
        } else {
          // A WebIDL record<USVString, USVString>: keys that become equal as USVStrings (lone
          // surrogates → U+FFFD) keep the first one's place and the last one's value.
          const record = new Map();
          for (const key of Reflect.ownKeys(init)) {
            const descriptor = Reflect.getOwnPropertyDescriptor(init, key);
            if (descriptor === undefined || !descriptor.enumerable) continue;
            if (typeof key === "symbol") throw new TypeErrorCtor("URLSearchParams: record keys must be strings");
            record.set(usv(key), usv(init[key]));
          }
          for (const [key, value] of record) s.list.push([key, value]);
        }
      } else {
        let text = usv(init);
        if (text.charCodeAt(0) === 63) text = text.slice(1);
        s.list = parseForm(text);
      }
    }
    get size() { return params(this, "size").list.length; }
    append(name, value) {
      if (arguments.length < 2) throw new TypeErrorCtor("URLSearchParams.append: 2 arguments required");
      const s = params(this, "append");
      s.list.push([usv(name), usv(value)]);
      update(s);
    }
    delete(name, value = undefined) {
      if (arguments.length < 1) throw new TypeErrorCtor("URLSearchParams.delete: 1 argument required");
      const s = params(this, "delete");
      const key = usv(name), match = value === undefined ? null : usv(value);
      s.list = s.list.filter((pair) => !(pair[0] === key && (match === null || pair[1] === match)));
      update(s);
    }
    get(name) {
      if (arguments.length < 1) throw new TypeErrorCtor("URLSearchParams.get: 1 argument required");
      const key = usv(name);
      for (const pair of params(this, "get").list) if (pair[0] === key) return pair[1];
      return null;
    }
    getAll(name) {
      if (arguments.length < 1) throw new TypeErrorCtor("URLSearchParams.getAll: 1 argument required");
      const key = usv(name);
      return params(this, "getAll").list.filter((pair) => pair[0] === key).map((pair) => pair[1]);
    }
    has(name, value = undefined) {
      if (arguments.length < 1) throw new TypeErrorCtor("URLSearchParams.has: 1 argument required");
      const key = usv(name), match = value === undefined ? null : usv(value);
      return params(this, "has").list.some((pair) => pair[0] === key && (match === null || pair[1] === match));
    }
    set(name, value) {
      if (arguments.length < 2) throw new TypeErrorCtor("URLSearchParams.set: 2 arguments required");
      const s = params(this, "set");
      const key = usv(name), text = usv(value);
      const at = s.list.findIndex((pair) => pair[0] === key);
      if (at < 0) s.list.push([key, text]);
      else {
        s.list[at][1] = text;
        s.list = s.list.filter((pair, i) => i <= at || pair[0] !== key);
      }
      update(s);
    }
    sort() {
      const s = params(this, "sort");
      // Stable, by UTF-16 code units of the names (Array.prototype.sort is stable).
      s.list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      update(s);
    }
    forEach(callback, thisArg = undefined) {
      const s = params(this, "forEach");
      if (typeof callback !== "function") throw new TypeErrorCtor("URLSearchParams.forEach: callback is not a function");
      for (let i = 0; i < s.list.length; i++) Reflect.apply(callback, thisArg, [s.list[i][1], s.list[i][0], this]);
    }
    entries() { return new ParamsIterator(params(this, "entries"), "entries"); }
    keys() { return new ParamsIterator(params(this, "keys"), "keys"); }
    values() { return new ParamsIterator(params(this, "values"), "values"); }
    toString() { return serializeForm(params(this, "toString").list); }
  }
  URLSearchParams.prototype[SymbolIterator] = URLSearchParams.prototype.entries;
  Object.defineProperty(URLSearchParams.prototype, SymbolIterator, { enumerable: false });
  Object.defineProperty(URLSearchParams.prototype, Symbol.toStringTag, { value: "URLSearchParams", configurable: true });

  // WebIDL pair iterator: live over the list, like the standard's.
  const IteratorProto = Object.getPrototypeOf(Object.getPrototypeOf([][SymbolIterator]()));
  class ParamsIterator {
    #state; #kind; #index = 0;
    constructor(state, kind) { this.#state = state; this.#kind = kind; }
    next() {
      const list = this.#state.list;
      if (this.#index >= list.length) return { value: undefined, done: true };
      const pair = list[this.#index++];
      const value = this.#kind === "keys" ? pair[0] : this.#kind === "values" ? pair[1] : [pair[0], pair[1]];
      return { value, done: false };
    }
  }
  Object.setPrototypeOf(ParamsIterator.prototype, IteratorProto);
  Object.defineProperty(ParamsIterator.prototype, Symbol.toStringTag, { value: "URLSearchParams Iterator", configurable: true });

  // ---- URL -------------------------------------------------------------------------------
  const URLS = new WeakMap(); // URL → { parts, query: URLSearchParams state | null }
  function url(self, what) {
    const s = URLS.get(self);
    if (s === undefined) throw new TypeErrorCtor(`URL.prototype.${what}: illegal invocation`);
    return s;
  }
  function parse(input, base) {
    const text = usv(input);
    const parts = base === undefined ? simpleParts(text) : null;
    return parts !== null ? parts : native("url.parse", text, base === undefined ? null : usv(base));
  }
  // A URL that WHATWG parsing leaves exactly as written, the usual shape of an incoming
  // request's URL: "http(s)://host[:port]/path[?query]" with a lower-case ASCII host name (no
  // punycode label, not ending in a number: those go through IDNA and the IPv4 parser) or a
  // canonical dotted IPv4 address, a port that is not the scheme's default, a path and query
  // of characters no percent-encode set holds, and no dot segment. Its components are slices
  // of the text, without ada's round trip through the host (~270 k instructions); anything
  // else is ada's. tests/web/test_url_fast_path.py compares the two on a corpus.
  // One regex (each test is a call and a match object): the host is a canonical dotted IPv4
  // address, or labels none of which starts with "xn--" whose last is not a number (digits,
  // or 0x and hex digits); no path segment starts with "." or "%2e".
  const OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  const LABEL = "(?!xn--)[a-z0-9-]+";
  const SIMPLE = new RegExp("^(https?:)//" +
    `((?:${OCTET}\\.){3}${OCTET}(?=[:/])|(?:${LABEL}\\.)*(?!(?:[0-9]+|0x[0-9a-f]*)[:/])${LABEL})` +
    "(?::([1-9][0-9]{0,4}))?" +
    "((?:/(?!\\.|%2[eE])[A-Za-z0-9\\-._~!$&'()*+,;=:@%]*)+)" +
    "(\\?[A-Za-z0-9\\-._~!$&()*+,;=:@%/?]*)?$");
  function simpleParts(text) {
    const m = SIMPLE.exec(text);
    if (m === null) return null;
    const protocol = m[1], hostname = m[2], port = m[3] === undefined ? "" : m[3];
    if (port !== "" && (+port > 65535 || port === (protocol === "http:" ? "80" : "443"))) return null;
    const host = port === "" ? hostname : hostname + ":" + port, query = m[5];
    return [text, protocol + "//" + host, protocol, "", "", host, hostname, port, m[4],
      query === undefined || query === "?" ? "" : query, ""];
  }
  function urlSetSearch(target, search) {
    const s = URLS.get(target);
    s.parts = native("url.set", s.parts[HREF], "search", search);
  }
  function setter(name, index) {
    return function (value) {
      const s = url(this, name);
      s.parts = native("url.set", s.parts[HREF], name, usv(value));
      if (index === SEARCH && s.query !== null) {
        s.query.list = parseForm(s.parts[SEARCH].slice(1));
      }
    };
  }

  class URL {
    constructor(input, base = undefined) {
      if (arguments.length === 0) throw new TypeErrorCtor("URL: 1 argument required, but only 0 present");
      const parts = parse(input, base);
      if (parts == null) {
        throw new TypeErrorCtor(`Invalid URL: ${JSON.stringify(usv(input))}` +
          (base === undefined ? "" : ` against base ${JSON.stringify(usv(base))}`));
      }
      URLS.set(this, { parts, query: null, params: null });
    }
    static canParse(input, base = undefined) {
      if (arguments.length === 0) throw new TypeErrorCtor("URL.canParse: 1 argument required");
      return parse(input, base) != null;
    }
    static parse(input, base = undefined) {
      if (arguments.length === 0) throw new TypeErrorCtor("URL.parse: 1 argument required");
      const parts = parse(input, base);
      if (parts == null) return null;
      const out = Object.create(URL.prototype);
      URLS.set(out, { parts, query: null, params: null });
      return out;
    }
    get href() { return url(this, "href").parts[HREF]; }
    set href(value) {
      const s = url(this, "href");
      const parts = parse(value, undefined);
      if (parts == null) throw new TypeErrorCtor(`Invalid URL: ${JSON.stringify(usv(value))}`);
      s.parts = parts;
      if (s.query !== null) s.query.list = parseForm(parts[SEARCH].slice(1));
    }
    get origin() { return url(this, "origin").parts[ORIGIN]; }
    get protocol() { return url(this, "protocol").parts[PROTOCOL]; }
    get username() { return url(this, "username").parts[USERNAME]; }
    get password() { return url(this, "password").parts[PASSWORD]; }
    get host() { return url(this, "host").parts[HOST]; }
    get hostname() { return url(this, "hostname").parts[HOSTNAME]; }
    get port() { return url(this, "port").parts[PORT]; }
    get pathname() { return url(this, "pathname").parts[PATHNAME]; }
    get search() { return url(this, "search").parts[SEARCH]; }
    get hash() { return url(this, "hash").parts[HASH]; }
    get searchParams() {
      const s = url(this, "searchParams");
      if (s.params === null) {
        s.params = new URLSearchParams(s.parts[SEARCH]);
        s.query = PARAMS.get(s.params);
        s.query.url = this;
      }
      return s.params;
    }
    toString() { return url(this, "toString").parts[HREF]; }
    toJSON() { return url(this, "toJSON").parts[HREF]; }
  }
  const NAMES = ["protocol", "username", "password", "host", "hostname", "port", "pathname", "search", "hash"];
  const INDEX = [PROTOCOL, USERNAME, PASSWORD, HOST, HOSTNAME, PORT, PATHNAME, SEARCH, HASH];
  for (let i = 0; i < NAMES.length; i++) {
    const descriptor = Object.getOwnPropertyDescriptor(URL.prototype, NAMES[i]);
    descriptor.set = setter(NAMES[i], INDEX[i]);
    Object.defineProperty(URL.prototype, NAMES[i], descriptor);
  }
  for (const name of ["href", "origin", ...NAMES, "searchParams"]) {
    const descriptor = Object.getOwnPropertyDescriptor(URL.prototype, name);
    descriptor.enumerable = true;
    Object.defineProperty(URL.prototype, name, descriptor);
  }
  Object.defineProperty(URL.prototype, Symbol.toStringTag, { value: "URL", configurable: true });

  hooks.parseForm = parseForm; // for Request/Response bodies of application/x-www-form-urlencoded
    return { URL, URLSearchParams };
})
