// lazy: console
// console, the Console Standard's namespace, read into a runtime the first time handler code
// uses it (a runtime's build pays nothing for it). Lines go through the prelude's
// hooks.consoleLine (the per-request byte limit) and hooks.consoleShow (how a value prints).
// Counters and timers live per runtime, like any global; a label is converted with String()
// (its toString() may throw); durations are milliseconds on the monotonic clock.
(function (hooks) {
  "use strict";
  const line = hooks.consoleLine, show = hooks.consoleShow, now = hooks.now;
  const StringCtor = String, ErrorCtor = Error;
  const hasOwn = Object.prototype.hasOwnProperty;
  let indent = ""; // console.group() nesting

  function emit(level, args, prefix = undefined) {
    const parts = prefix === undefined ? [] : [prefix];
    for (let i = 0; i < args.length; i++) parts.push(show(args[i]));
    line(level, indent + parts.join(" "));
  }
  const logger = (level) => function (...args) { emit(level, args); };
  const counts = Object.create(null), timers = Object.create(null);
  const label = (value) => (value === undefined ? "default" : StringCtor(value));
  const has = (table, name) => hasOwn.call(table, name);
  const elapsed = (name) => `${name}: ${now() - timers[name]}ms`;
  const missingTimer = (name) => emit("warn", [`Timer '${name}' does not exist`]);

  const console = {
    log: logger("info"), info: logger("info"), debug: logger("debug"), warn: logger("warn"),
    error: logger("error"), dirxml: logger("info"), table: logger("info"),
    dir(item) { emit("info", [item]); },
    trace(...args) {
      const stack = new ErrorCtor().stack;
      emit("debug", typeof stack === "string" ? [...args, "\n" + stack] : args, "Trace:");
    },
    assert(condition, ...args) { if (!condition) emit("error", args, args.length ? "Assertion failed:" : "Assertion failed"); },
    count(value) {
      const name = label(value);
      counts[name] = (has(counts, name) ? counts[name] : 0) + 1;
      emit("info", [`${name}: ${counts[name]}`]);
    },
    countReset(value) {
      const name = label(value);
      if (has(counts, name)) counts[name] = 0;
      else emit("warn", [`Count for '${name}' does not exist`]);
    },
    time(value) {
      const name = label(value);
      if (has(timers, name)) emit("warn", [`Timer '${name}' already exists`]);
      else timers[name] = now();
    },
    timeLog(value, ...args) {
      const name = label(value);
      if (has(timers, name)) emit("info", args, elapsed(name));
      else missingTimer(name);
    },
    timeEnd(value) {
      const name = label(value);
      if (!has(timers, name)) return missingTimer(name);
      emit("info", [elapsed(name)]);
      delete timers[name];
    },
    group(...args) { if (args.length) emit("info", args); indent += "  "; },
    groupCollapsed(...args) { if (args.length) emit("info", args); indent += "  "; },
    groupEnd() { indent = indent.slice(2); },
    clear() {},
  };
  // A WebIDL namespace: its [[Prototype]] is an empty object whose own is Object.prototype.
  Object.setPrototypeOf(console, Object.create(Object.prototype));
  Object.defineProperty(console, Symbol.toStringTag, { value: "console", configurable: true });
    return { console };
})
