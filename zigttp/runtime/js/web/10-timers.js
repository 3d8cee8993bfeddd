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
//
// Host tasks (`hooks.hostTask(id)`: an outbound fetch running on a host thread, zigttp/web/
// tasks.py) keep the request alive like timers: each loop turn collects the finished ones
// (task.done) and settles their promises; while one runs, the loop sleeps until the next timer
// or the deadline, and the host wakes it when a task ends. Tasks of a request that ended
// are cancelled (task.cancel), like its timers.
(function (hooks) {
  "use strict";
  const now = hooks.now, request = hooks.request, alive = hooks.alive, native = hooks.native;
  const TypeErrorCtor = TypeError;
  const reflectApply = Reflect.apply;
  let nextId = 1;
  const timers = new Map(); // id → record; Map iteration keeps insertion order
  let owner = 0; // the request the queued timers and tasks belong to
  const tasks = new Map(); // host task id → [resolve, reject]
  const PromiseCtor = Promise, ErrorCtor = Error, ERRORS = { __proto__: null, TypeError, RangeError };
  const IDLE = 3600000; // ms to sleep when only tasks are pending: the deadline or a task ends it

  // A request's first use of timers or tasks drops what an earlier request left.
  function own() {
    const current = request();
    if (owner === current) return;
    timers.clear();
    dropTasks();
    owner = current;
  }
  function dropTasks() {
    if (tasks.size === 0) return;
    const ids = [];
    for (const id of tasks.keys()) ids[ids.length] = id;
    tasks.clear();
    native("task.cancel", ids);
  }
  hooks.hostTask = (id) => {
    own();
    return new PromiseCtor((resolve, reject) => { tasks.set(id, [resolve, reject]); });
  };
  hooks.cancelTask = (id) => { if (tasks.delete(id)) native("task.cancel", [id]); };
  function collectTasks() {
    const done = native("task.done");
    for (let i = 0; i < done.length; i++) {
      const id = done[i][0], ok = done[i][1], value = done[i][2]; // no array iterator: handler-replaceable
      const task = tasks.get(id);
      if (task === undefined) continue;
      tasks.delete(id);
      if (ok) task[0](value);
      else task[1](new (ERRORS[value[0]] || ErrorCtor)(value[1]));
    }
    return done.length;
  }

  function schedule(handler, timeout, args, repeat) {
    if (typeof handler !== "function") {
      // Strings would be eval'd by browsers; we refuse them (no eval of data) with a clear error.
      throw new TypeErrorCtor("setTimeout/setInterval: the handler must be a function (strings are not evaluated)");
    }
    own();
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
    own();
    if (!alive(phase)) {
      if (phase === 1) { timers.clear(); dropTasks(); }
      return -1;
    }
    if (tasks.size > 0 && collectTasks() > 0) return 0; // their promise jobs run first
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
    if (next < 0) return tasks.size > 0 ? IDLE : -1;
    return Math.max(next, 0);
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
