// Blob, File and FormData (File API, XHR §5), loaded on first use: this file runs in every
// runtime's build, captures the builtins the classes need (hooks.webFilePrimordials) and
// declares the three globals with web-core's hooks.lazyGlobals; the classes (web/file/*.js,
// hooks.loadBundle) are evaluated the first time handler code reads one
// of them or the body mixin calls hooks.webForm / hooks.webBlob.
//
// For fetch's body mixin (docs/web-api-crypto.md):
//   hooks.webForm.parse(contentType, bytes) -> FormData   (TypeError when it cannot parse)
//   hooks.webForm.serialize(formData) -> [contentType, Uint8Array]
//   hooks.webBlob.bytesOf(blob) -> Uint8Array (do not write), .blob(bytes, type) -> Blob, .isBlob(v)
//   hooks.webForm.isFormData(v)   (isBlob / isFormData never load the classes)
(function (hooks) {
  "use strict";
  const defineProperty = Object.defineProperty;
  const freeze = Object.freeze, loadBundle = hooks.loadBundle;
  const fnCall = Function.prototype.call;
  const call = fnCall.bind(fnCall);
  const reExec = RegExp.prototype.exec;
  const global = globalThis;
  hooks.webFilePrimordials = freeze({ __proto__: null, call, global,
    Uint8ArrayCtor: Uint8Array, ArrayBufferCtor: ArrayBuffer, isView: ArrayBuffer.isView, TypeErrorCtor: TypeError,
    StringCtor: String, NumberCtor: Number, MathMax: Math.max, MathMin: Math.min, MathTrunc: Math.trunc,
    isFinite: Number.isFinite, dateNow: Date.now, freeze, defineProperty, objectCreate: Object.create,
    taSubarray: Uint8Array.prototype.subarray, taSet: Uint8Array.prototype.set,
    abSlice: ArrayBuffer.prototype.slice, reTest: RegExp.prototype.test, sReplace: String.prototype.replace,
    sLower: String.prototype.toLowerCase, sSplit: String.prototype.split, sTrim: String.prototype.trim,
    toWellFormed: String.prototype.toWellFormed, toStringTag: Symbol.toStringTag, iterator: Symbol.iterator,
    iteratorProto: Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())),
    WeakMapCtor: WeakMap, wmGet: WeakMap.prototype.get, wmSet: WeakMap.prototype.set,
    // RegExp.prototype.test looks up `exec` on the regex: pin it on the lazy code's regexes.
    pinned(re) { defineProperty(re, "exec", { value: reExec }); return re; } });

  let loaded = false;
  function load() {
    if (loaded) return;
    loaded = true;
    loadBundle("file"); // web/file/*.js
  }
  hooks.lazyGlobals(["Blob", "File", "FormData"], () => {
    load();
    return { Blob: hooks.webBlobImpl.Blob, File: hooks.webBlobImpl.File, FormData: hooks.webFormImpl.FormData };
  });
  const blobImpl = () => { load(); return hooks.webBlobImpl; };
  const formImpl = () => { load(); return hooks.webFormImpl; };
  hooks.webBlob = freeze({ __proto__: null, bytesOf: (blob) => blobImpl().bytesOf(blob),
    blob: (bytes, type) => blobImpl().blob(bytes, type), isBlob: (value) => loaded && blobImpl().isBlob(value),
    get Blob() { return blobImpl().Blob; }, get File() { return blobImpl().File; } });
  hooks.webForm = freeze({ __proto__: null, parse: (type, bytes) => formImpl().parse(type, bytes),
    serialize: (form) => formImpl().serialize(form), entries: (form) => formImpl().entries(form),
    isFormData: (value) => loaded && value instanceof formImpl().FormData,
    get FormData() { return formImpl().FormData; } });
})
