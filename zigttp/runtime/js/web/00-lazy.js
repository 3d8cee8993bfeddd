// What the other web files share, loaded first: `hooks.lazyGlobals` / `hooks.internal`
// (globals built on first use, below) and `hooks.domException(error)`: a host NativeError
// whose name is a DOMException name (raised by zigttp/web/*.py as
// NativeError("DataError", ...)) becomes a real DOMException (web/01-dom-exception.js).
(function (hooks) {
  "use strict";
  // lazyGlobals(names, install): the globals `names` exist from the start (non-enumerable,
  // writable, configurable, as WebIDL defines them), but `install()` (which builds the classes
  // and returns {name: value}) runs only when one of them is first read, so a runtime's build
  // and a request that uses none of them cost nothing. hooks.internal(name) gives the web
  // files the original value (installing it if needed), whatever handler code assigned since.
  const installed = Object.create(null);
  const installers = Object.create(null);
  const defineData = (name, value) =>
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  hooks.lazyGlobals = (names, install) => {
    let done = false;
    const run = () => {
      if (done) return;
      done = true;
      const values = install();
      for (const name of names) {
        installed[name] = values[name];
        const current = Object.getOwnPropertyDescriptor(globalThis, name);
        if (current !== undefined && current.get !== undefined && current.get.lazy === true) defineData(name, values[name]);
      }
    };
    for (const name of names) {
      installers[name] = run;
      const get = function () { run(); return globalThis[name]; };
      get.lazy = true;
      Object.defineProperty(globalThis, name, {
        get, set(value) { defineData(name, value); }, configurable: true, enumerable: false,
      });
    }
  };
  hooks.internal = (name) => {
    if (!(name in installed)) installers[name]();
    return installed[name];
  };
  const NAMES = new Set(["IndexSizeError", "HierarchyRequestError", "WrongDocumentError", "InvalidCharacterError",
    "NoModificationAllowedError", "NotFoundError", "NotSupportedError", "InUseAttributeError", "InvalidStateError",
    "SyntaxError", "InvalidModificationError", "NamespaceError", "InvalidAccessError", "TypeMismatchError",
    "SecurityError", "NetworkError", "AbortError", "URLMismatchError", "QuotaExceededError", "TimeoutError",
    "InvalidNodeTypeError", "DataCloneError", "OperationError", "NotAllowedError", "EncodingError",
    "NotReadableError", "UnknownError", "ConstraintError", "DataError", "TransactionInactiveError",
    "ReadOnlyError", "VersionError", "OptOutError"]);
  // A host error named like a DOMException → that DOMException; anything else unchanged.
  hooks.domException = (error) => {
    if (!(error instanceof Error) || !NAMES.has(error.name)) return error;
    const DOMExceptionCtor = hooks.internal("DOMException");
    return error instanceof DOMExceptionCtor ? error : new DOMExceptionCtor(error.message, error.name);
  };
})
