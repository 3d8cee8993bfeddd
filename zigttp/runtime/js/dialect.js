// zigttp dialect runtime: what the original zigttp's `|>`, `match`, `assert`, `range()` and
// `zigttp:compose` compile to (frontend/dialect.py writes the calls).
//
// * __zigttp_pipe(x, f, g)  = g(f(x)); when any step is a guard(...) it is a guard
//   composition instead: pre-guards get the request and may answer it (a non-undefined
//   result short-circuits), then exactly one handler runs, then post-guards get its response
//   and may replace it. Promises are followed, so async handlers and guards compose too.
// * __zigttp_match(value, [[pattern, thunk], ...]): the first non-fallback arm whose pattern
//   matches runs; otherwise the last fallback (`__zigttp_any` at the top level); otherwise
//   undefined. Inside a pattern, `__zigttp_any` means "present" (not undefined).
// * range(end) / range(start, end[, step]): a lazy iterable of integers, as upstream
//   (arguments truncated to integers, step 0 taken as 1).
// Builtins are captured at load time so a handler replacing them cannot change the semantics.
(function (global) {
  "use strict";
  const isArray = Array.isArray;
  const keys = Object.keys;
  const freeze = Object.freeze;
  const defineProperty = Object.defineProperty;
  const TypeErrorCtor = TypeError;
  const ErrorCtor = Error;
  const truncate = Math.trunc, max = Math.max, ceil = Math.ceil;
  const iteratorSymbol = Symbol.iterator;
  const guards = new WeakSet();
  const isGuard = WeakSet.prototype.has.bind(guards);
  const addGuard = WeakSet.prototype.add.bind(guards);
  const ANY = freeze({ toString() { return "_"; } });

  function describe(value) {
    return typeof value === "function" ? "a function" : value === null ? "null" : typeof value;
  }

  function then(value, next) {
    return value !== null && typeof value === "object" && typeof value.then === "function"
      ? value.then(next)
      : next(value);
  }

  function guard(fn) {
    if (typeof fn !== "function") {
      throw new TypeErrorCtor("guard(fn): fn must be a function, got " + describe(fn));
    }
    const guarded = function (value) { return fn(value); };
    addGuard(guarded);
    return guarded;
  }

  function composeGuards(steps) {
    const handlers = [];
    for (let i = 0; i < steps.length; i += 1) {
      if (typeof steps[i] !== "function") {
        throw new TypeErrorCtor("`|>` in a guard composition: step " + (i + 1) +
          " is " + describe(steps[i]) + ", not a function");
      }
      if (!isGuard(steps[i])) handlers.push(i);
    }
    if (handlers.length !== 1) {
      throw new TypeErrorCtor("a guard composition needs exactly one handler between its " +
        "guards, found " + handlers.length);
    }
    const at = handlers[0];
    const pre = steps.slice(0, at), handler = steps[at], post = steps.slice(at + 1);
    function runPost(response, i) {
      if (i === post.length) return response;
      return then(post[i](response), (replaced) =>
        replaced !== undefined ? replaced : runPost(response, i + 1));
    }
    function runPre(request, i) {
      if (i === pre.length) return then(handler(request), (response) => runPost(response, 0));
      return then(pre[i](request), (answer) =>
        answer !== undefined ? answer : runPre(request, i + 1));
    }
    return function composed(request) { return runPre(request, 0); };
  }

  function pipe(value, ...fns) {
    if (isGuard(value) || fns.some((fn) => isGuard(fn))) return composeGuards([value, ...fns]);
    let result = value;
    for (const fn of fns) {
      if (typeof fn !== "function") {
        throw new TypeErrorCtor("`|>`: the right-hand side is " + describe(fn) +
          ", not a function");
      }
      result = fn(result);
    }
    return result;
  }

  // zigttp:compose's pipe(f1, f2, ..., fN) = fN(...f2(f1())), as upstream.
  function composePipe(...fns) {
    if (fns.length === 0) throw new TypeErrorCtor("pipe() needs at least one function");
    return pipe(fns[0](), ...fns.slice(1));
  }

  function matches(pattern, value) {
    if (pattern === ANY) return value !== undefined;
    if (isArray(pattern)) {
      if (!isArray(value) || value.length !== pattern.length) return false;
      for (let i = 0; i < pattern.length; i += 1) {
        if (!matches(pattern[i], value[i])) return false;
      }
      return true;
    }
    if (pattern !== null && typeof pattern === "object") {
      if (value === null || value === undefined) return false;
      for (const key of keys(pattern)) {
        if (!matches(pattern[key], value[key])) return false;
      }
      return true;
    }
    return pattern === value;
  }

  function match(value, arms) {
    let fallback;
    for (const arm of arms) {
      if (arm[0] === ANY) fallback = arm[1];
      else if (matches(arm[0], value)) return arm[1]();
    }
    return fallback === undefined ? undefined : fallback();
  }

  function assertFailed(message) {
    throw new ErrorCtor(message);
  }

  function toInt(value, otherwise) {
    return typeof value === "number" && value === value ? truncate(value) : otherwise;
  }

  function range(...args) {
    if (args.length === 0) return undefined;
    const start = args.length === 1 ? 0 : toInt(args[0], 0);
    const end = toInt(args.length === 1 ? args[0] : args[1], 0);
    const step = args.length > 2 ? toInt(args[2], 1) || 1 : 1;
    const length = max(0, ceil((end - start) / step));
    return freeze({
      length,
      [iteratorSymbol]() {
        let i = 0;
        return { next() {
          return i < length ? { value: start + step * i++, done: false }
            : { value: undefined, done: true };
        }, [iteratorSymbol]() { return this; } };
      },
    });
  }

  const hidden = { __zigttp_pipe: pipe, __zigttp_match: match, __zigttp_any: ANY,
    __zigttp_assert_failed: assertFailed,
    __zigttp_compose: freeze({ guard, pipe: composePipe }) };
  for (const name of keys(hidden)) {
    defineProperty(global, name, { value: hidden[name], writable: false, enumerable: false });
  }
  defineProperty(global, "range", { value: range, writable: true, enumerable: false,
    configurable: true });
})(globalThis);
