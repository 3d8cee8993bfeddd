// lazy: setTimeout setInterval clearTimeout clearInterval queueMicrotask Performance performance Navigator navigator
// setTimeout / setInterval / clear*, queueMicrotask, performance, navigator (HTML timers).
//
// The timer queue lives here; the engine's loop (native/engine/runtime.c, run_loop) calls
// `fire(nowMs, phase)` when no promise job is pending: it runs the due timers and answers the
// milliseconds until the next one, or -1 when nothing keeps the request alive (the prelude's
// hooks.alive): the handler's promise settled (phase 0), or no ctx.waitUntil promise is
// pending (phase 1, between requests: the timers still queued then are cancelled). A timer
// belongs to the request that set it (hooks.request()); it never fires in another one, and
// timers set by the handler's top level never fire at all.
(function (hooks) {
  "use strict";
  const now = hooks.now, request = hooks.request, alive = hooks.alive;
  const TypeErrorCtor = TypeError;
  const reflectApply = Reflect.apply;
  let nextId = 1;
  const timers = new Map(); // id → record; Map iteration keeps insertion order
  let owner = 0; // the request the queued timers belong to

  function schedule(handler, timeout, args, repeat) {
    if (typeof handler !== "function") {
      // Strings would be eval'd by browsers; we refuse them (no eval of data) with a clear error.
      throw new TypeErrorCtor("setTimeout/setInterval: the handler must be a function (strings are not evaluated)");
    }
    const current = request();
    if (owner !== current) { timers.clear(); owner = current; }
    let delay = timeout | 0; // WebIDL `long`: ToInt32 (2^32 wraps to 0); negative counts as 0
    if (delay < 0) delay = 0;
    const id = nextId++;
    timers.set(id, { id, handler, args, delay, repeat, when: now() + delay, nesting: 0 });
    return id;
  }
  function cancel(id) {
    timers.delete(+id);
  }
  function reportFailure(error) {
    const report = globalThis.reportError;
    try {
      if (typeof report === "function") report(error);
      else hooks.console("error", "Uncaught (in timer) " + String(error));
    } catch (_e) { /* reporting must not stop the loop */ }
  }

  // One pass: every timer due at `t` in (when, id) order; returns ms to the next or -1.
  function fire(t, phase) {
    if (owner !== request()) { timers.clear(); owner = request(); }
    if (!alive(phase)) {
      if (phase === 1) timers.clear();
      return -1;
    }
    let due = null;
    for (const record of timers.values()) {
      if (record.when <= t && (due === null || record.when < due.when)) due = record;
    }
    if (due !== null) {
      if (due.repeat) due.when = t + Math.max(due.delay, 1);
      else timers.delete(due.id);
      try { reflectApply(due.handler, globalThis, due.args); } catch (error) { reportFailure(error); }
      return 0; // ran one: the loop runs its promise jobs before the next timer (HTML order)
    }
    let next = -1;
    for (const record of timers.values()) {
      const wait = record.when - t;
      if (next < 0 || wait < next) next = wait;
    }
    return next < 0 ? -1 : Math.max(next, 0);
  }
  hooks.setTimerSource(fire); // installed with the first timer API use: until then C skips the timer step

  function setTimeout(handler, timeout = 0, ...args) { return schedule(handler, timeout, args, false); }
  function setInterval(handler, timeout = 0, ...args) { return schedule(handler, timeout, args, true); }
  function clearTimeout(id = 0) { cancel(id); }
  function clearInterval(id = 0) { cancel(id); }

  // Captured at load: a handler replacing Promise.prototype.then must not see (or break) this.
  const promiseThen = Promise.prototype.then, settledPromise = Promise.resolve();
  const enqueue = (callback) => { reflectApply(promiseThen, settledPromise, [() => {
    try { callback(); } catch (error) { reportFailure(error); }
  }]); };
  function queueMicrotask(callback) {
    if (typeof callback !== "function") {
      throw new TypeErrorCtor("queueMicrotask: argument must be a function");
    }
    enqueue(callback);
  }

  // performance: now() on the monotonic clock, relative to this runtime's time origin.
  const origin = now();
  const timeOrigin = Date.now();
  class Performance {
    constructor() { throw new TypeErrorCtor("Illegal constructor"); }
    now() { return now() - origin; }
    get timeOrigin() { return timeOrigin; }
    toJSON() { return { timeOrigin }; }
  }
  const performance = Object.create(Performance.prototype);
  Object.defineProperty(Performance.prototype, Symbol.toStringTag, { value: "Performance", configurable: true });


  class Navigator {
    constructor() { throw new TypeErrorCtor("Illegal constructor"); }
    get userAgent() { return userAgent ??= "zigttp/" + hooks.native("platform.version"); }
    get hardwareConcurrency() { return 1; }
    get language() { return "en-US"; }
    get languages() { return ["en-US"]; }
  }
  let userAgent; // asked of the host on first use: no cost to a runtime that never reads it
  Object.defineProperty(Navigator.prototype, Symbol.toStringTag, { value: "Navigator", configurable: true });
  const navigator = Object.create(Navigator.prototype);
    return { setTimeout, setInterval, clearTimeout, clearInterval, queueMicrotask, Performance, performance, Navigator, navigator };
})
