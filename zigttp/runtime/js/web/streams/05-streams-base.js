// The Streams Standard's shared machinery (https://streams.spec.whatwg.org/): promise
// helpers, the queue-with-sizes and the queuing strategies. Every streams file of web/streams/ is
// `function (hooks, S, B)`: S the internal namespace they fill (the glue reaches it through
// hooks.streams, web/30-streams.js), B the builtins captured before the handler ran.
//
// Rules (as the prelude's header): every builtin is captured here at load, so a handler that
// replaces Promise.prototype.then, Array.prototype.push or Object.prototype setters at its top
// level cannot break a stream the glue reads. Promises are chained with the captured `then`
// (the spec's PerformPromiseThen), never resolved with a thenable the glue made, and
// internal records have a null prototype. Only classes are defined at load: no instances.
(function (hooks, S, B) {
  "use strict";
  const PromiseCtor = B.Promise;
  const promiseThen = B.then;
  const apply = B.apply;
  const defineProperty = B.defineProperty;
  const NumberIsNaN = B.isNaN;
  const TypeErrorCtor = B.TypeError;
  const RangeErrorCtor = B.RangeError;
  const ArrayBufferCtor = B.ArrayBuffer;
  const isView = B.isView;
  const byteLengthGetter = B.abByteLength;
  const detachedGetter = B.abDetached;
  const transferMethod = B.abTransfer;
  S.TypeError = TypeErrorCtor;
  S.RangeError = RangeErrorCtor;
  S.apply = apply;
  S.defineProperty = defineProperty;

  // --- promises (the spec's "a new promise", "resolve", "react", "upon fulfillment") ---
  function newPromise() {
    const record = B.create(null);
    record.promise = new PromiseCtor((resolve, reject) => { record.resolve = resolve; record.reject = reject; });
    return record;
  }
  const PromiseProto = B.PromiseProto;
  const getPrototypeOf = B.getPrototypeOf;
  function isPromise(value) {
    return typeof value === "object" && value !== null && getPrototypeOf(value) === PromiseProto;
  }
  // Web IDL's "a promise resolved with x": a new promise. For a native promise the engine
  // would look up its (replaceable) `then` in a NewPromiseResolveThenableJob; we run the same
  // job with the captured `then`, so the tick count (which WPT observes) is the same.
  function resolved(value) {
    if (!isPromise(value)) return new PromiseCtor((resolve) => resolve(value));
    const d = newPromise();
    adopt(d, value);
    return d.promise;
  }
  function rejected(reason) {
    const p = new PromiseCtor((_resolve, reject) => reject(reason));
    markHandled(p);
    return p;
  }
  function rejectedUnhandled(reason) { return new PromiseCtor((_resolve, reject) => reject(reason)); }
  function react(promise, onFulfilled, onRejected) {
    return apply(promiseThen, promise, [onFulfilled, onRejected]);
  }
  // React without a result: what a callback returns is dropped, never adopted (a returned
  // promise would be resolved through its replaceable `then`).
  function uponPromise(promise, onFulfilled, onRejected) {
    markHandled(react(promise, onFulfilled && ((v) => { onFulfilled(v); }),
      onRejected && ((e) => { onRejected(e); })));
  }
  function markHandled(promise) { apply(promiseThen, promise, [undefined, noop]); }
  function noop() {}
  // A microtask through the captured `then` (not the global queueMicrotask: a JS
  // implementation of it may reach the handler's Promise.prototype.then).
  const settledPromise = new PromiseCtor((resolve) => resolve(undefined));
  // (the callback's result is dropped: a returned promise would be adopted with its `then`)
  const queueTask = (fn) => { react(settledPromise, () => { fn(); }); };
  S.newPromise = newPromise;
  S.resolved = resolved;
  S.rejected = rejected;
  S.rejectedUnhandled = rejectedUnhandled;
  S.react = react;
  S.upon = uponPromise;
  S.markHandled = markHandled;
  S.noop = noop;
  S.queueTask = (fn) => queueTask(fn);
  // A promise from user code: "a promise resolved with x" adopts thenables (the user's own).
  S.promiseFrom = function (fn, thisArg, args) {
    try {
      return resolved(apply(fn, thisArg, args));
    } catch (e) {
      return rejectedUnhandled(e);
    }
  };
  // The spec's "promise resolved with" for a value that the glue returns as-is.
  S.resolvedUndefined = () => resolved(undefined);
  S.isPromise = isPromise;
  // Resolve `d` with a native promise as the engine would (a thenable job, then its
  // reaction), but through the captured `then`.
  function adopt(d, promise) { queueTask(() => { react(promise, d.resolve, d.reject); }); }
  function settleWith(d, fn, value) {
    let result;
    try { result = fn(value); } catch (e) { d.reject(e); return; }
    if (isPromise(result)) adopt(d, result);
    else d.resolve(result);
  }
  // then(promise, onFulfilled, onRejected) whose callbacks may return a promise, settled
  // through the captured `then` instead of resolving with a thenable.
  S.chain = function (promise, onFulfilled, onRejected) {
    const d = newPromise();
    react(promise,
      onFulfilled ? (v) => settleWith(d, onFulfilled, v) : d.resolve,
      onRejected ? (e) => settleWith(d, onRejected, e) : d.reject);
    return d.promise;
  };
  // Resolve a pending record with a promise's outcome (never with the promise itself).
  S.forward = (promise, d) => adopt(d, promise);

  // Stored promise state for ready/closed promises: settle once, then mark handled on reject.
  function deferred() {
    const d = newPromise();
    d.state = "pending";
    return d;
  }
  function settleResolve(d, value) {
    if (d.state !== "pending") return;
    d.state = "fulfilled";
    d.resolve(value);
  }
  function settleReject(d, reason) {
    if (d.state !== "pending") return;
    d.state = "rejected";
    markHandled(d.promise);
    d.reject(reason);
  }
  S.deferred = deferred;
  S.deferredResolved = (value) => { const d = deferred(); settleResolve(d, value); return d; };
  S.deferredRejected = (reason) => { const d = deferred(); settleReject(d, reason); return d; };
  S.settleResolve = settleResolve;
  S.settleReject = settleReject;

  // --- internal records: each public object holds its record under SLOT ---
  const SLOT = B.Symbol("stream internals");
  S.SLOT = SLOT;
  S.record = function (kind) { const r = B.create(null); r.kind = kind; return r; };
  S.slotOf = function (value, kind) {
    if ((typeof value !== "object" && typeof value !== "function") || value === null) return undefined;
    const r = value[SLOT];
    return r !== undefined && r.kind === kind ? r : undefined;
  };
  // The record of `value`, or the TypeError of a brand check (cls.member on another object).
  S.slot = function (value, kind, cls, member) {
    const r = S.slotOf(value, kind);
    if (r === undefined) throw S.brandError(cls, member);
    return r;
  };
  S.wrap = function (proto, r) { const w = B.create(proto); w[SLOT] = r; r.wrapper = w; return w; };
  S.make = function (kind, proto) { const r = S.record(kind); S.wrap(proto, r); return r; };
  // ReadableStreamDefaultControllerCallPullIfNeeded and its byte twin: the same steps over
  // the controller's own ShouldCallPull and Error.
  S.callPullIfNeeded = function callPullIfNeeded(c, shouldCallPull, error) {
    if (!shouldCallPull(c)) return;
    if (c.pulling) {
      c.pullAgain = true;
      return;
    }
    c.pulling = true;
    uponPromise(c.pullAlgorithm(), () => {
      c.pulling = false;
      if (c.pullAgain) {
        c.pullAgain = false;
        callPullIfNeeded(c, shouldCallPull, error);
      }
    }, (e) => error(c, e));
  };

  // --- a FIFO that does not touch Array.prototype (push/shift are user-replaceable) ---
  // Storage arrays without Array.prototype: a setter planted on Array.prototype["0"] by the
  // handler's top level cannot swallow a chunk.
  const list = () => B.setPrototypeOf([], null);
  S.list = list;
  class Queue {
    constructor() { this.items = list(); this.head = 0; }
    get length() { return this.items.length - this.head; }
    push(value) { const items = this.items; items[items.length] = value; }
    peek() { return this.items[this.head]; }
    at(i) { return this.items[this.head + i]; }
    shift() {
      const value = this.items[this.head];
      this.items[this.head] = undefined;
      this.head++;
      if (this.head > 1024 && this.head * 2 > this.items.length) this.compact();
      return value;
    }
    compact() {
      const old = this.items, fresh = list();
      for (let i = this.head; i < old.length; i++) fresh[fresh.length] = old[i];
      this.items = fresh;
      this.head = 0;
    }
    clear() { this.items = list(); this.head = 0; }
  }
  B.setPrototypeOf(Queue.prototype, null);
  S.Queue = Queue;

  // --- queue-with-sizes (spec §8.1) on a container with .queue and .queueTotalSize ---
  function isNonNegativeNumber(v) { return typeof v === "number" && !NumberIsNaN(v) && v >= 0; }
  S.enqueueValueWithSize = function (container, value, size) {
    if (!isNonNegativeNumber(size) || size === Infinity) {
      throw new RangeErrorCtor("the chunk's size must be a finite, non-negative number");
    }
    const pair = B.create(null);
    pair.value = value;
    pair.size = size;
    container.queue.push(pair);
    container.queueTotalSize += size;
  };
  S.dequeueValue = function (container) {
    const pair = container.queue.shift();
    container.queueTotalSize -= pair.size;
    if (container.queueTotalSize < 0) container.queueTotalSize = 0;
    return pair.value;
  };
  S.peekQueueValue = (container) => container.queue.peek().value;
  S.resetQueue = function (container) { container.queue = new Queue(); container.queueTotalSize = 0; };

  // --- strategies (spec §7.4) ---
  S.extractHighWaterMark = function (strategy, defaultHWM) {
    const hwm = strategy.highWaterMark;
    if (hwm === undefined) return defaultHWM;
    const n = B.Number(hwm);
    if (NumberIsNaN(n) || n < 0) throw new RangeErrorCtor("highWaterMark must be a non-negative number");
    return n;
  };
  S.extractSizeAlgorithm = function (strategy) {
    const size = strategy.size;
    if (size === undefined) return () => 1;
    if (typeof size !== "function") throw new TypeErrorCtor("the strategy's size must be a function");
    return (chunk) => apply(size, undefined, [chunk]);
  };
  // The QueuingStrategy dictionary: read its members once, in IDL order.
  S.strategyDict = function (value, what) {
    if (value === undefined || value === null) return B.create(null);
    if (typeof value !== "object" && typeof value !== "function") {
      throw new TypeErrorCtor(what + ": the strategy must be an object");
    }
    const dict = B.create(null);
    const hwm = value.highWaterMark;
    if (hwm !== undefined) dict.highWaterMark = B.Number(hwm);
    const size = value.size;
    if (size !== undefined) {
      if (typeof size !== "function") throw new TypeErrorCtor(what + ": the strategy's size must be a function");
      dict.size = size;
    }
    return dict;
  };
  // `optional object` (an underlying source, sink or transformer): null is a TypeError.
  S.optionalObject = function (value, what) {
    if (value === undefined) return undefined;
    if (value === null || (typeof value !== "object" && typeof value !== "function")) {
      throw new TypeErrorCtor(what + " must be an object");
    }
    return value;
  };
  // A dictionary argument: undefined and null are the empty dictionary.
  S.requireObjectOrUndefined = function (value, what) {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "object" && typeof value !== "function") {
      throw new TypeErrorCtor(what + " must be an object");
    }
    return value;
  };
  // Look up an optional callback member of an underlying source/sink/transformer.
  S.callback = function (dict, name, what) {
    if (dict === undefined) return undefined;
    const fn = dict[name];
    if (fn === undefined) return undefined;
    if (typeof fn !== "function") throw new TypeErrorCtor(what + "." + name + " must be a function");
    return fn;
  };

  // --- ArrayBuffer helpers (byte streams) ---
  S.isView = isView;
  S.byteLength = (buffer) => apply(byteLengthGetter, buffer, []);
  S.isDetached = (buffer) => apply(detachedGetter, buffer, []);
  S.transferBuffer = function (buffer) {
    if (S.isDetached(buffer)) throw new TypeErrorCtor("the ArrayBuffer is detached");
    return apply(transferMethod, buffer, []);
  };
  S.ArrayBuffer = ArrayBufferCtor;

  // Web IDL shape: methods/getters enumerable, prototype.constructor non-enumerable, toStringTag.
  S.idlClass = function (Ctor, name) {
    const proto = Ctor.prototype;
    const names = B.getOwnPropertyNames(proto);
    for (let i = 0; i < names.length; i++) {
      if (names[i] === "constructor") continue;
      const desc = B.getOwnPropertyDescriptor(proto, names[i]);
      desc.enumerable = true;
      defineProperty(proto, names[i], desc);
    }
    defineProperty(proto, B.toStringTag, { value: name, configurable: true });
  };
  S.illegalConstructor = (name) => new TypeErrorCtor(name + ": illegal constructor");
  S.brandError = (cls, member) => new TypeErrorCtor(cls + "." + member + " called on an object that is not a " + cls);

  // --- ByteLengthQueuingStrategy and CountQueuingStrategy (spec §7.2, §7.3) ---
  const hwmSlot = new B.WeakMap();
  const wmGet = B.wmGet, wmSet = B.wmSet, wmHas = B.wmHas;
  function strategyInit(self, init, name) {
    if (init === null || (typeof init !== "object" && typeof init !== "function")) {
      throw new TypeErrorCtor(name + ": the argument must be an object with highWaterMark");
    }
    const hwm = init.highWaterMark;
    if (hwm === undefined) throw new TypeErrorCtor(name + ": highWaterMark is required");
    apply(wmSet, hwmSlot, [self, B.Number(hwm)]);
  }
  function strategyHWM(self, name) {
    if (!apply(wmHas, hwmSlot, [self])) throw S.brandError(name, "highWaterMark");
    return apply(wmGet, hwmSlot, [self]);
  }
  const byteLengthSize = { size(chunk) { return chunk.byteLength; } }.size;
  const countSize = { size() { return 1; } }.size;
  class ByteLengthQueuingStrategy {
    constructor(init) { strategyInit(this, init, "ByteLengthQueuingStrategy"); }
    get highWaterMark() { return strategyHWM(this, "ByteLengthQueuingStrategy"); }
    get size() {
      strategyHWM(this, "ByteLengthQueuingStrategy");
      return byteLengthSize;
    }
  }
  class CountQueuingStrategy {
    constructor(init) { strategyInit(this, init, "CountQueuingStrategy"); }
    get highWaterMark() { return strategyHWM(this, "CountQueuingStrategy"); }
    get size() {
      strategyHWM(this, "CountQueuingStrategy");
      return countSize;
    }
  }
  S.idlClass(ByteLengthQueuingStrategy, "ByteLengthQueuingStrategy");
  S.idlClass(CountQueuingStrategy, "CountQueuingStrategy");
  S.defineGlobal("ByteLengthQueuingStrategy", ByteLengthQueuingStrategy);
  S.defineGlobal("CountQueuingStrategy", CountQueuingStrategy);
})
