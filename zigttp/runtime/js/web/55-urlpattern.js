// URLPattern (URL Pattern Standard) over the `urlpattern` package (zigttp/web/urlpattern.py):
// a pattern is its init (string or dict), base URL and ignoreCase; the host compiles and
// caches it, and test()/exec() match there.
(function (hooks) {
  "use strict";
  const native = hooks.native;
  const TypeErrorCtor = TypeError;
  const COMPONENTS = ["protocol", "username", "password", "hostname", "port", "pathname", "search", "hash"];
  const PATTERN = new WeakMap(); // URLPattern → { init, base, ignoreCase, parts }

  function plainInit(input, what) {
    if (typeof input === "string") return input;
    if (input === undefined || input === null) return {};
    if (typeof input !== "object") return String(input);
    const out = {};
    for (const key of COMPONENTS.concat(["baseURL"])) {
      if (input[key] !== undefined) out[key] = String(input[key]);
    }
    return out;
  }
  function state(self, what) {
    const s = PATTERN.get(self);
    if (s === undefined) throw new TypeErrorCtor(`URLPattern.prototype.${what}: illegal invocation`);
    return s;
  }
  function match(self, input, baseURL, what) {
    const s = state(self, what);
    const url = plainInit(input, what);
    if (typeof url !== "string" && baseURL !== undefined) {
      throw new TypeErrorCtor(`URLPattern.${what}: a base URL is only allowed with a string input`);
    }
    const result = native("urlpattern.exec", s.init, s.base, s.ignoreCase, url, baseURL === undefined ? null : String(baseURL));
    return result == null ? null : result;
  }

  class URLPattern {
    constructor(input = undefined, baseURL = undefined, options = undefined) {
      if (baseURL !== null && typeof baseURL === "object" && options === undefined) {
        options = baseURL;
        baseURL = undefined;
      }
      const init = plainInit(input, "constructor");
      if (typeof init !== "string" && baseURL !== undefined) {
        throw new TypeErrorCtor("URLPattern: a base URL is only allowed with a string pattern");
      }
      const base = baseURL === undefined ? null : String(baseURL);
      const ignoreCase = options !== undefined && options !== null && Boolean(options.ignoreCase);
      const parts = native("urlpattern.compile", init, base, ignoreCase);
      PATTERN.set(this, { init, base, ignoreCase, parts });
    }
    test(input = undefined, baseURL = undefined) {
      try { return match(this, input, baseURL, "test") !== null; }
      catch (error) { if (error instanceof TypeErrorCtor && typeof input === "string") return false; throw error; }
    }
    exec(input = undefined, baseURL = undefined) {
      try { return match(this, input, baseURL, "exec"); }
      catch (error) { if (error instanceof TypeErrorCtor && typeof input === "string") return null; throw error; }
    }
    get hasRegExpGroups() { return state(this, "hasRegExpGroups").parts[8]; }
  }
  COMPONENTS.forEach((name, index) => {
    Object.defineProperty(URLPattern.prototype, name, {
      get() { return state(this, name).parts[index]; }, enumerable: true, configurable: true,
    });
  });
  Object.defineProperty(URLPattern.prototype, Symbol.toStringTag, { value: "URLPattern", configurable: true });
  Object.defineProperty(globalThis, "URLPattern", { value: URLPattern, writable: true, configurable: true });
})
