// lazy: structuredClone
// structuredClone (HTML "StructuredSerializeInternal" + deserialize in one pass) for the
// types quickjs-ng has: primitives, wrapper objects, Date, RegExp, ArrayBuffer, typed arrays,
// DataView, Map, Set, Array, plain objects, Error types, DOMException, Blob and File;
// cycles and shared references keep their shape. Functions, symbols and other platform
// objects throw a DataCloneError DOMException, as in browsers. `transfer` moves ArrayBuffers.
(function (hooks) {
  "use strict";
  const DOMExceptionCtor = hooks.internal("DOMException");
  const TypeErrorCtor = TypeError;
  const ERRORS = { Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError };
  const TYPED = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
    Float32Array, Float64Array, BigInt64Array, BigUint64Array];
  if (typeof Float16Array === "function") TYPED.push(Float16Array);
  const toString = Object.prototype.toString;
  const getProto = Object.getPrototypeOf;
  const typedArrayProto = getProto(Int8Array.prototype);
  const typedTag = Object.getOwnPropertyDescriptor(typedArrayProto, Symbol.toStringTag).get;
  const typedKeys = typedArrayProto.keys; // throws for an out-of-bounds or detached view (ValidateTypedArray)
  const isArrayBuffer = (v) => { try { Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength").get.call(v); return true; } catch (_e) { return false; } };

  function fail(what) {
    return new DOMExceptionCtor(`structuredClone: ${what} could not be cloned`, "DataCloneError");
  }
  // The [[Class]]-like brand of an object, from the engine's internal slots (not its proto).
  function brand(value) {
    if (isArrayBuffer(value)) return "ArrayBuffer";
    if (typedTag.call(value) !== undefined) return "TypedArray";
    const tag = toString.call(value); // "[object Date]" etc. (Symbol.toStringTag can lie: checked below)
    return tag.slice(8, -1);
  }
  function checked(fn, value) { try { fn(value); return true; } catch (_e) { return false; } }
  const IS = {
    Date: (v) => checked((x) => Date.prototype.getTime.call(x), v),
    RegExp: (v) => checked((x) => Object.getOwnPropertyDescriptor(RegExp.prototype, "source").get.call(x), v) && v !== RegExp.prototype,
    Map: (v) => checked((x) => Map.prototype.has.call(x, 0), v),
    Set: (v) => checked((x) => Set.prototype.has.call(x, 0), v),
    Boolean: (v) => checked((x) => Boolean.prototype.valueOf.call(x), v),
    Number: (v) => checked((x) => Number.prototype.valueOf.call(x), v),
    String: (v) => checked((x) => String.prototype.valueOf.call(x), v),
    BigInt: (v) => checked((x) => BigInt.prototype.valueOf.call(x), v),
    DataView: (v) => checked((x) => Object.getOwnPropertyDescriptor(DataView.prototype, "byteLength").get.call(x), v),
  };

  function clone(value, memory) {
    const type = typeof value;
    if (type === "symbol") throw fail("a Symbol");
    if (type === "function") throw fail("a function");
    if (value === null || type !== "object") return value;
    if (memory.has(value)) return memory.get(value);
    if (value instanceof DOMExceptionCtor) {
      const out = new DOMExceptionCtor(value.message, value.name);
      memory.set(value, out);
      return out;
    }
    const kind = brand(value);
    let out;
    if (kind === "ArrayBuffer") {
      if (value.detached === true) throw fail("a detached ArrayBuffer");
      out = cloneBuffer(value);
    } else if (kind === "TypedArray") {
      if (!checked((x) => typedKeys.call(x), value)) throw fail("an out-of-bounds or detached typed array");
      const Ctor = TYPED.find((C) => C.name === typedTag.call(value));
      const buffer = clone(value.buffer, memory);
      out = new Ctor(buffer, value.byteOffset, value.length);
    } else if (IS.DataView(value)) {
      out = new DataView(clone(value.buffer, memory), value.byteOffset, value.byteLength);
    } else if (IS.Date(value)) {
      out = new Date(Date.prototype.getTime.call(value));
    } else if (IS.RegExp(value)) {
      out = new RegExp(value.source, value.flags);
    } else if (IS.Boolean(value)) {
      out = Object(Boolean.prototype.valueOf.call(value));
    } else if (IS.Number(value)) {
      out = Object(Number.prototype.valueOf.call(value));
    } else if (IS.BigInt(value)) {
      out = Object(BigInt.prototype.valueOf.call(value));
    } else if (IS.String(value)) {
      out = Object(String.prototype.valueOf.call(value));
    } else if (IS.Map(value)) {
      out = new Map();
      memory.set(value, out);
      const entries = [];
      Map.prototype.forEach.call(value, (v, k) => entries.push([k, v]));
      for (const [k, v] of entries) Map.prototype.set.call(out, clone(k, memory), clone(v, memory));
      return out;
    } else if (IS.Set(value)) {
      out = new Set();
      memory.set(value, out);
      const items = [];
      Set.prototype.forEach.call(value, (v) => items.push(v));
      for (const v of items) Set.prototype.add.call(out, clone(v, memory));
      return out;
    } else if (hooks.webBlob.isBlob(value)) {
      out = cloneBlob(value);
    } else if (kind === "Error") {
      return cloneError(value, memory);
    } else if (Array.isArray(value)) {
      out = new Array(value.length);
      memory.set(value, out);
      copyOwn(value, out, memory);
      return out;
    } else if (kind === "Object" && isPlain(value)) {
      out = {};
      memory.set(value, out);
      copyOwn(value, out, memory);
      return out;
    } else {
      throw fail(`a ${kind === "Object" ? (value.constructor && value.constructor.name) || "platform object" : kind}`);
    }
    memory.set(value, out);
    return out;
  }
  // Objects without internal slots: plain or class instances (HTML clones their own data
  // properties); Promise, WeakMap, Proxy-less platform objects are refused by brand.
  const REFUSED = new Set(["Promise", "WeakMap", "WeakSet", "WeakRef", "FinalizationRegistry", "Generator",
    "AsyncGenerator"]);
  function isPlain(value) {
    const proto = getProto(value);
    if (proto !== null && proto !== Object.prototype && REFUSED.has(proto.constructor && proto.constructor.name)) return false;
    return true;
  }
  function copyOwn(from, to, memory) {
    for (const key of Object.keys(from)) {
      const v = clone(from[key], memory);
      Object.defineProperty(to, key, { value: v, writable: true, enumerable: true, configurable: true });
    }
  }
  // A resizable ArrayBuffer stays resizable, with the same maxByteLength.
  function cloneBuffer(buffer) {
    if (buffer.resizable !== true) return buffer.slice(0);
    const out = new ArrayBuffer(buffer.byteLength, { maxByteLength: buffer.maxByteLength });
    new Uint8Array(out).set(new Uint8Array(buffer));
    return out;
  }
  // Blob and File (their bytes are immutable, so the copy shares them); a subclass instance
  // comes back as the File or Blob it is, whatever the globals now hold.
  function cloneBlob(blob) {
    const bytes = hooks.webBlob.bytesOf(blob), FileCtor = hooks.webBlob.File;
    if (blob instanceof FileCtor) {
      return new FileCtor([bytes], blob.name, { type: blob.type, lastModified: blob.lastModified });
    }
    return hooks.webBlob.blob(bytes, blob.type);
  }
  function cloneError(value, memory) {
    const nameValue = value.name;
    const name = Object.prototype.hasOwnProperty.call(ERRORS, nameValue) ? nameValue : "Error";
    const out = Object.create(ERRORS[name].prototype);
    memory.set(value, out);
    const messageDesc = Object.getOwnPropertyDescriptor(value, "message");
    if (messageDesc !== undefined && "value" in messageDesc) {
      Object.defineProperty(out, "message", { value: String(messageDesc.value), writable: true, configurable: true });
    }
    if (typeof value.stack === "string") {
      Object.defineProperty(out, "stack", { value: value.stack, writable: true, configurable: true });
    }
    if (Object.prototype.hasOwnProperty.call(value, "cause")) {
      Object.defineProperty(out, "cause", { value: clone(value.cause, memory), writable: true, configurable: true });
    }
    return out;
  }

  function structuredClone(value, options = undefined) {
    if (arguments.length === 0) throw new TypeErrorCtor("structuredClone: 1 argument required, but only 0 present");
    const memory = new Map();
    const transfer = options !== undefined && options !== null && options.transfer !== undefined ? Array.from(options.transfer) : [];
    const moved = [];
    for (const buffer of transfer) {
      if (!isArrayBuffer(buffer)) throw fail("a transfer list item that is not an ArrayBuffer");
      if (moved.includes(buffer)) throw fail("an ArrayBuffer listed twice in transfer");
      if (buffer.detached === true) throw fail("a detached ArrayBuffer");
      moved.push(buffer);
    }
    for (const buffer of moved) {
      memory.set(buffer, typeof buffer.transfer === "function" ? buffer.transfer() : buffer.slice(0));
    }
    return clone(value, memory);
  }
    return { structuredClone };
})
