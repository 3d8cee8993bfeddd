// DOMException (WebIDL), with the legacy numeric codes. Also hands the other web files
// `hooks.domException(error)`: a host NativeError whose name is a DOMException name (raised
// by zigttp/web/*.py as NativeError("DataError", ...)) becomes a real DOMException.
(function (hooks) {
  "use strict";
  const CODES = {
    IndexSizeError: 1, HierarchyRequestError: 3, WrongDocumentError: 4, InvalidCharacterError: 5,
    NoModificationAllowedError: 7, NotFoundError: 8, NotSupportedError: 9, InUseAttributeError: 10,
    InvalidStateError: 11, SyntaxError: 12, InvalidModificationError: 13, NamespaceError: 14,
    InvalidAccessError: 15, TypeMismatchError: 17, SecurityError: 18, NetworkError: 19,
    AbortError: 20, URLMismatchError: 21, QuotaExceededError: 22, TimeoutError: 23,
    InvalidNodeTypeError: 24, DataCloneError: 25,
  };
  const LEGACY = [
    ["INDEX_SIZE_ERR", 1], ["DOMSTRING_SIZE_ERR", 2], ["HIERARCHY_REQUEST_ERR", 3],
    ["WRONG_DOCUMENT_ERR", 4], ["INVALID_CHARACTER_ERR", 5], ["NO_DATA_ALLOWED_ERR", 6],
    ["NO_MODIFICATION_ALLOWED_ERR", 7], ["NOT_FOUND_ERR", 8], ["NOT_SUPPORTED_ERR", 9],
    ["INUSE_ATTRIBUTE_ERR", 10], ["INVALID_STATE_ERR", 11], ["SYNTAX_ERR", 12],
    ["INVALID_MODIFICATION_ERR", 13], ["NAMESPACE_ERR", 14], ["INVALID_ACCESS_ERR", 15],
    ["VALIDATION_ERR", 16], ["TYPE_MISMATCH_ERR", 17], ["SECURITY_ERR", 18], ["NETWORK_ERR", 19],
    ["ABORT_ERR", 20], ["URL_MISMATCH_ERR", 21], ["QUOTA_EXCEEDED_ERR", 22], ["TIMEOUT_ERR", 23],
    ["INVALID_NODE_TYPE_ERR", 24], ["DATA_CLONE_ERR", 25],
  ];
  const STATE = new WeakMap(); // DOMException → { name, message }: the brand
  const captureStack = typeof Error.captureStackTrace === "function" ? Error.captureStackTrace : null;

  class DOMException {
    constructor(message = "", name = "Error") {
      const state = { message: String(message), name: String(name) };
      STATE.set(this, state);
      // The stack an Error would have (non-enumerable own property, like engines give).
      if (captureStack !== null) captureStack(this, DOMException);
      else Object.defineProperty(this, "stack", { value: new Error(state.message).stack, writable: true, configurable: true });
    }
    get name() { return brand(this, "name").name; }
    get message() { return brand(this, "message").message; }
    get code() {
      const name = brand(this, "code").name;
      return Object.prototype.hasOwnProperty.call(CODES, name) ? CODES[name] : 0;
    }
  }
  function brand(self, what) {
    const state = STATE.get(self);
    if (state === undefined) throw new TypeError(`DOMException.prototype.${what}: illegal invocation`);
    return state;
  }
  // WebIDL: DOMException.prototype's [[Prototype]] is Error.prototype, and toString works.
  Object.setPrototypeOf(DOMException.prototype, Error.prototype);
  for (const [key, value] of LEGACY) {
    Object.defineProperty(DOMException, key, { value, enumerable: true });
    Object.defineProperty(DOMException.prototype, key, { value, enumerable: true });
  }
  for (const key of ["name", "message", "code"]) {
    const descriptor = Object.getOwnPropertyDescriptor(DOMException.prototype, key);
    descriptor.enumerable = true;
    Object.defineProperty(DOMException.prototype, key, descriptor);
  }
  Object.defineProperty(DOMException.prototype, Symbol.toStringTag, { value: "DOMException", configurable: true });
  Object.defineProperty(globalThis, "DOMException", { value: DOMException, writable: true, configurable: true });
  hooks.DOMException = DOMException;

  // A host error named like a DOMException → that DOMException; anything else unchanged.
  const NAMES = new Set(Object.keys(CODES).concat(["OperationError", "NotAllowedError", "EncodingError",
    "NotReadableError", "UnknownError", "ConstraintError", "DataError", "TransactionInactiveError",
    "ReadOnlyError", "VersionError", "OptOutError"]));
  hooks.domException = (error) =>
    error instanceof Error && !(error instanceof DOMException) && NAMES.has(error.name)
      ? new DOMException(error.message, error.name) : error;
})
