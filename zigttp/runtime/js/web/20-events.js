// lazy: Event EventTarget CustomEvent ErrorEvent reportError addEventListener removeEventListener dispatchEvent
// Event, EventTarget, CustomEvent, ErrorEvent (DOM Standard, "Events"; no node tree: an
// event's path is its target alone), reportError, and globalThis as an event target (like
// Deno's window: addEventListener("error", ...) sees errors reportError reports).
// Gives the other web files hooks.fireEvent(target, event): dispatch with isTrusted = true.
(function (hooks) {
  "use strict";
  const TypeErrorCtor = TypeError;
  const reflectApply = Reflect.apply;
  const EVENT = new WeakMap(); // Event → internal state (the brand)
  const LISTENERS = new WeakMap(); // EventTarget → [{ type, callback, capture, once, passive, removed }]
  const timeOrigin = hooks.now();

  function state(event, what) {
    const found = EVENT.get(event);
    if (found === undefined) throw new TypeErrorCtor(`Event.prototype.${what}: illegal invocation`);
    return found;
  }
  function flag(dict, key) { return dict !== undefined && dict !== null && Boolean(dict[key]); }

  class Event {
    constructor(type, eventInitDict = undefined) {
      if (arguments.length === 0) throw new TypeErrorCtor("Event: 1 argument required, but only 0 present");
      if (eventInitDict !== undefined && eventInitDict !== null && typeof eventInitDict !== "object" && typeof eventInitDict !== "function") {
        throw new TypeErrorCtor("Event: the init argument must be a dictionary");
      }
      EVENT.set(this, {
        type: String(type), bubbles: flag(eventInitDict, "bubbles"), cancelable: flag(eventInitDict, "cancelable"),
        composed: flag(eventInitDict, "composed"), target: null, currentTarget: null, phase: 0,
        stop: false, stopNow: false, canceled: false, inPassive: false, dispatching: false,
        initialized: true, trusted: false, timeStamp: hooks.now() - timeOrigin,
      });
      // WebIDL [LegacyUnforgeable]: an own accessor, not on the prototype.
      Object.defineProperty(this, "isTrusted", { get: isTrustedGetter, enumerable: true, configurable: false });
    }
    get type() { return state(this, "type").type; }
    get target() { return state(this, "target").target; }
    get srcElement() { return state(this, "srcElement").target; }
    get currentTarget() { return state(this, "currentTarget").currentTarget; }
    composedPath() {
      const s = state(this, "composedPath");
      return s.dispatching && s.currentTarget !== null ? [s.currentTarget] : [];
    }
    get eventPhase() { return state(this, "eventPhase").phase; }
    stopPropagation() { state(this, "stopPropagation").stop = true; }
    get cancelBubble() { return state(this, "cancelBubble").stop; }
    set cancelBubble(value) { if (value) state(this, "cancelBubble").stop = true; }
    stopImmediatePropagation() { const s = state(this, "stopImmediatePropagation"); s.stop = true; s.stopNow = true; }
    get bubbles() { return state(this, "bubbles").bubbles; }
    get cancelable() { return state(this, "cancelable").cancelable; }
    get returnValue() { return !state(this, "returnValue").canceled; }
    set returnValue(value) { if (!value) cancel(state(this, "returnValue")); }
    preventDefault() { cancel(state(this, "preventDefault")); }
    get defaultPrevented() { return state(this, "defaultPrevented").canceled; }
    get composed() { return state(this, "composed").composed; }
    get timeStamp() { return state(this, "timeStamp").timeStamp; }
    initEvent(type, bubbles = false, cancelable = false) {
      if (arguments.length === 0) throw new TypeErrorCtor("initEvent: 1 argument required");
      const s = state(this, "initEvent");
      if (s.dispatching) return;
      s.type = String(type); s.bubbles = Boolean(bubbles); s.cancelable = Boolean(cancelable);
      s.stop = s.stopNow = s.canceled = false; s.target = null; s.initialized = true;
    }
  }
  function isTrustedGetter() { return state(this, "isTrusted").trusted; }
  function cancel(s) { if (s.cancelable && !s.inPassive) s.canceled = true; }
  const PHASES = [["NONE", 0], ["CAPTURING_PHASE", 1], ["AT_TARGET", 2], ["BUBBLING_PHASE", 3]];
  for (const [key, value] of PHASES) {
    Object.defineProperty(Event, key, { value, enumerable: true });
    Object.defineProperty(Event.prototype, key, { value, enumerable: true });
  }
  Object.defineProperty(Event.prototype, Symbol.toStringTag, { value: "Event", configurable: true });

  class CustomEvent extends Event {
    #detail;
    constructor(type, eventInitDict = undefined) {
      super(type, eventInitDict);
      this.#detail = eventInitDict !== undefined && eventInitDict !== null && eventInitDict.detail !== undefined
        ? eventInitDict.detail : null;
    }
    get detail() { return this.#detail; }
    initCustomEvent(type, bubbles = false, cancelable = false, detail = null) {
      if (arguments.length === 0) throw new TypeErrorCtor("initCustomEvent: 1 argument required, but only 0 present");
      if (state(this, "initCustomEvent").dispatching) return;
      this.initEvent(type, bubbles, cancelable);
      this.#detail = detail;
    }
  }
  Object.defineProperty(CustomEvent.prototype, Symbol.toStringTag, { value: "CustomEvent", configurable: true });

  class ErrorEvent extends Event {
    #init;
    constructor(type, eventInitDict = undefined) {
      super(type, eventInitDict);
      const d = eventInitDict || {};
      this.#init = { message: d.message === undefined ? "" : String(d.message),
        filename: d.filename === undefined ? "" : String(d.filename),
        lineno: d.lineno >>> 0, colno: d.colno >>> 0, error: d.error };
    }
    get message() { return this.#init.message; }
    get filename() { return this.#init.filename; }
    get lineno() { return this.#init.lineno; }
    get colno() { return this.#init.colno; }
    get error() { return this.#init.error; }
  }
  Object.defineProperty(ErrorEvent.prototype, Symbol.toStringTag, { value: "ErrorEvent", configurable: true });

  function flatten(options, withPassive) {
    if (typeof options === "boolean" || options === undefined || options === null || typeof options !== "object") {
      return { capture: Boolean(options), once: false, passive: null, signal: null };
    }
    const capture = Boolean(options.capture);
    if (!withPassive) return { capture };
    const once = Boolean(options.once);
    const passive = "passive" in options ? Boolean(options.passive) : null;
    let signal = null;
    if ("signal" in options) {
      signal = options.signal;
      if (hooks.isAbortSignal === undefined || !hooks.isAbortSignal(signal)) throw new TypeErrorCtor("addEventListener: options.signal must be an AbortSignal");
    }
    return { capture, once, passive, signal };
  }
  function listenersOf(target) {
    let list = LISTENERS.get(target);
    if (list === undefined) { list = []; LISTENERS.set(target, list); }
    return list;
  }
  function checkTarget(target, what) {
    if (target === globalThis) return;
    if ((typeof target !== "object" && typeof target !== "function") || target === null || !LISTENERS.has(target)) {
      throw new TypeErrorCtor(`EventTarget.prototype.${what}: illegal invocation`);
    }
  }

  class EventTarget {
    constructor() { LISTENERS.set(this, []); }
    addEventListener(type, callback, options = undefined) {
      checkTarget(this, "addEventListener");
      const flat = flatten(options, true);
      if (flat.signal !== null && flat.signal.aborted) return;
      if (callback === null || callback === undefined) return;
      if (typeof callback !== "function" && typeof callback !== "object") {
        throw new TypeErrorCtor("addEventListener: the listener must be a function or an object with handleEvent");
      }
      const list = listenersOf(this);
      type = String(type);
      for (const l of list) if (l.type === type && l.callback === callback && l.capture === flat.capture) return;
      const listener = { type, callback, capture: flat.capture, once: flat.once, passive: flat.passive === true, removed: false };
      list.push(listener);
      if (flat.signal !== null) hooks.onAbort(flat.signal, () => removeListener(this, listener));
    }
    removeEventListener(type, callback, options = undefined) {
      checkTarget(this, "removeEventListener");
      const capture = flatten(options, false).capture;
      const list = listenersOf(this);
      type = String(type);
      for (const l of list) if (l.type === type && l.callback === callback && l.capture === capture) removeListener(this, l);
    }
    dispatchEvent(event) {
      checkTarget(this, "dispatchEvent");
      const s = EVENT.get(event);
      if (s === undefined) throw new TypeErrorCtor("dispatchEvent: argument must be an Event");
      if (s.dispatching || !s.initialized) {
        throw new (hooks.internal("DOMException"))("dispatchEvent: the event is already being dispatched", "InvalidStateError");
      }
      s.trusted = false;
      return dispatch(this, event, s);
    }
  }
  Object.defineProperty(EventTarget.prototype, Symbol.toStringTag, { value: "EventTarget", configurable: true });
  function removeListener(target, listener) {
    listener.removed = true;
    const list = listenersOf(target);
    const at = list.indexOf(listener);
    if (at >= 0) list.splice(at, 1);
  }

  function reportException(error) {
    try { globalThis.reportError(error); } catch (_e) { /* never stops a dispatch */ }
  }
  // DOM "dispatch" for a path of one target: the capturing then the bubbling listeners of the
  // target itself (AT_TARGET), in registration order, on a copy of the list. stopPropagation()
  // stops propagation to other targets, and there are none: only one called by a capturing
  // listener of this dispatch skips the bubbling ones (WPT Event-propagation-EventTarget).
  function dispatch(target, event, s) {
    const stoppedBefore = s.stop;
    s.dispatching = true;
    s.target = target;
    s.currentTarget = target;
    s.phase = 2;
    const list = listenersOf(target).slice();
    for (const capturing of [true, false]) {
      for (const l of list) {
        if (s.stopNow) break;
        if (l.removed || l.type !== s.type || l.capture !== capturing) continue;
        if (l.once) removeListener(target, l);
        if (l.passive) s.inPassive = true;
        try {
          if (typeof l.callback === "function") reflectApply(l.callback, target, [event]);
          else {
            const handle = l.callback.handleEvent;
            if (typeof handle !== "function") throw new TypeErrorCtor("listener has no handleEvent method");
            reflectApply(handle, l.callback, [event]);
          }
        } catch (error) {
          reportException(error);
        }
        s.inPassive = false;
      }
      if (s.stop && !stoppedBefore) break;
    }
    s.dispatching = false;
    s.phase = 0;
    s.currentTarget = null;
    s.stop = s.stopNow = false;
    return !s.canceled;
  }

  // `on<type>` attributes (AbortSignal.onabort, globalThis.onerror): a listener slot that
  // keeps its place in the list when reassigned (HTML event handler semantics). A global's
  // onerror is HTML's special case: an ErrorEvent reaches it as (message, filename, lineno,
  // colno, error), and returning true (not false) cancels it.
  hooks.eventHandler = (proto, type, globalError = false) => {
    const SLOT = new WeakMap();
    Object.defineProperty(proto, "on" + type, {
      get() { const slot = SLOT.get(this); return slot === undefined ? null : slot.value; },
      set(value) {
        let slot = SLOT.get(this);
        const callable = typeof value === "function" || (typeof value === "object" && value !== null) ? value : null;
        if (slot === undefined) {
          if (callable === null) return;
          slot = { value: callable };
          SLOT.set(this, slot);
          reflectApply(EventTarget.prototype.addEventListener, this, [type, function (event) {
            const fn = slot.value;
            if (typeof fn !== "function") return;
            if (globalError && event instanceof ErrorEvent) {
              const args = [event.message, event.filename, event.lineno, event.colno, event.error];
              if (reflectApply(fn, this, args) === true) event.preventDefault();
            } else if (reflectApply(fn, this, [event]) === false) event.preventDefault();
          }]);
        } else {
          slot.value = callable;
        }
      },
      enumerable: true, configurable: true,
    });
  };
  hooks.fireEvent = (target, event) => {
    const s = EVENT.get(event);
    s.trusted = true;
    return dispatch(target, event, s);
  };
  hooks.Event = Event;

  // globalThis as an EventTarget (not its prototype chain: it stays a plain global object).
  LISTENERS.set(globalThis, []);
  const onGlobal = (name) => {
    const method = EventTarget.prototype[name];
    return { [name](...args) { return reflectApply(method, globalThis, args); } }[name];
  };
  const addEventListener = onGlobal("addEventListener");
  const removeEventListener = onGlobal("removeEventListener");
  const dispatchEvent = onGlobal("dispatchEvent");
  // globalThis.onerror: a value assigned before this file loaded becomes the handler.
  const earlyOnError = globalThis.onerror;
  hooks.eventHandler(globalThis, "error", true);
  if (earlyOnError !== undefined) globalThis.onerror = earlyOnError;

  // reportError(e): an "error" event on globalThis; unless a listener cancels it, the error
  // goes to the log like an uncaught exception.
  function reportError(error) {
    if (arguments.length === 0) throw new TypeErrorCtor("reportError: 1 argument required");
    const message = error instanceof Error ? String(error.message) : String(error);
    const event = new ErrorEvent("error", { message, error, cancelable: true });
    const notCanceled = hooks.fireEvent(globalThis, event);
    if (notCanceled) {
      const stack = error instanceof Error && typeof error.stack === "string" ? "\n" + error.stack : "";
      hooks.console("error", "Uncaught " + (error instanceof Error ? String(error) : message) + stack);
    }
  }
    return { Event, EventTarget, CustomEvent, ErrorEvent, reportError, addEventListener, removeEventListener, dispatchEvent };
})
