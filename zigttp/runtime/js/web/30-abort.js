// AbortController and AbortSignal (DOM Standard, "Aborting ongoing activities"), with
// AbortSignal.abort(), .timeout() (a timer of the running request) and .any().
// Gives the other web files hooks.isAbortSignal(x) and hooks.onAbort(signal, fn).
(function (hooks) {
  "use strict";
  const define = (name, value) =>
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  const TypeErrorCtor = TypeError;
  const DOMExceptionCtor = hooks.DOMException;
  const SIGNAL = new WeakMap(); // AbortSignal → { aborted, reason, algorithms, sources, dependents, dependent }
  let constructing = false;

  function state(signal, what) {
    const found = SIGNAL.get(signal);
    if (found === undefined) throw new TypeErrorCtor(`AbortSignal.prototype.${what}: illegal invocation`);
    return found;
  }
  function create(dependent) {
    constructing = true;
    try { return new AbortSignal(dependent); } finally { constructing = false; }
  }

  class AbortSignal extends EventTarget {
    constructor(dependent) {
      if (!constructing) throw new TypeErrorCtor("Illegal constructor: use new AbortController().signal");
      super();
      SIGNAL.set(this, { aborted: false, reason: undefined, algorithms: [], sources: [], dependents: [], dependent: dependent === true });
    }
    get aborted() { return state(this, "aborted").aborted; }
    get reason() { return state(this, "reason").reason; }
    throwIfAborted() {
      const s = state(this, "throwIfAborted");
      if (s.aborted) throw s.reason;
    }
    static abort(reason = undefined) {
      const signal = create(false);
      const s = SIGNAL.get(signal);
      s.aborted = true;
      s.reason = reason === undefined ? new DOMExceptionCtor("signal is aborted without reason", "AbortError") : reason;
      return signal;
    }
    static timeout(milliseconds) {
      const ms = Number(milliseconds);
      if (!Number.isFinite(ms) || ms < 0 || ms > Number.MAX_SAFE_INTEGER) {
        throw new TypeErrorCtor("AbortSignal.timeout: milliseconds must be a non-negative finite number");
      }
      const signal = create(false);
      setTimeout(() => signalAbort(signal, new DOMExceptionCtor("signal timed out", "TimeoutError")), ms);
      return signal;
    }
    static any(signals) {
      const list = [];
      for (const signal of signals) {
        if (!SIGNAL.has(signal)) throw new TypeErrorCtor("AbortSignal.any: every item must be an AbortSignal");
        list.push(signal);
      }
      const result = create(true);
      const rs = SIGNAL.get(result);
      for (const signal of list) {
        const s = SIGNAL.get(signal);
        if (s.aborted) { rs.aborted = true; rs.reason = s.reason; return result; }
      }
      for (const signal of list) {
        const s = SIGNAL.get(signal);
        const sources = s.dependent ? s.sources : [signal];
        for (const source of sources) {
          if (rs.sources.includes(source)) continue;
          rs.sources.push(source);
          SIGNAL.get(source).dependents.push(result);
        }
      }
      return result;
    }
  }
  Object.defineProperty(AbortSignal.prototype, Symbol.toStringTag, { value: "AbortSignal", configurable: true });
  hooks.eventHandler(AbortSignal.prototype, "abort");

  // DOM "signal abort": mark it and its dependents, run the algorithms, then fire the events.
  function signalAbort(signal, reason) {
    const s = SIGNAL.get(signal);
    if (s.aborted) return;
    s.aborted = true;
    s.reason = reason === undefined ? new DOMExceptionCtor("signal is aborted without reason", "AbortError") : reason;
    const toFire = [];
    for (const dependent of s.dependents) {
      const d = SIGNAL.get(dependent);
      if (d.aborted) continue;
      d.aborted = true;
      d.reason = s.reason;
      toFire.push(dependent);
    }
    runAbortSteps(signal);
    for (const dependent of toFire) runAbortSteps(dependent);
  }
  function runAbortSteps(signal) {
    const s = SIGNAL.get(signal);
    const algorithms = s.algorithms;
    s.algorithms = [];
    for (const algorithm of algorithms) {
      try { algorithm(); } catch (error) { globalThis.reportError(error); }
    }
    hooks.fireEvent(signal, new hooks.Event("abort"));
  }

  const CONTROLLER = new WeakMap();
  class AbortController {
    constructor() { CONTROLLER.set(this, create(false)); }
    get signal() {
      const signal = CONTROLLER.get(this);
      if (signal === undefined) throw new TypeErrorCtor("AbortController.prototype.signal: illegal invocation");
      return signal;
    }
    abort(reason = undefined) {
      const signal = CONTROLLER.get(this);
      if (signal === undefined) throw new TypeErrorCtor("AbortController.prototype.abort: illegal invocation");
      signalAbort(signal, reason);
    }
  }
  Object.defineProperty(AbortController.prototype, Symbol.toStringTag, { value: "AbortController", configurable: true });

  hooks.isAbortSignal = (value) => SIGNAL.has(value);
  hooks.onAbort = (signal, algorithm) => { const s = SIGNAL.get(signal); if (!s.aborted) s.algorithms.push(algorithm); };
  define("AbortSignal", AbortSignal);
  define("AbortController", AbortController);
})
