// SubtleCrypto (WebCrypto §14): the promise-returning methods. Each runs the standard's
// synchronous checks, in its order, inside an async function, so every failure -- a
// WebIDL TypeError as much as an OperationError -- is a rejected promise, never a throw.
// The per-algorithm steps are in `kinds` (30-secret.js, 40-pair.js).
(function (hooks) {
  "use strict";
  const wc = hooks.webCrypto, p = hooks.webCryptoParams, kinds = p.kinds;
  const domError = wc.domError, bytesOf = wc.bytesOf, native = wc.native;
  const P = hooks.webPrimordials, shell = hooks.webCryptoShell;
  const TypeErrorCtor = P.TypeError, StringCtor = P.String, Uint8ArrayCtor = P.Uint8Array;
  const jsonStringify = P.jsonStringify, jsonParse = P.jsonParse;
  const utf8Encode = hooks.utf8Encode, utf8Decode = hooks.utf8Decode;
  const FORMATS = ["raw", "spki", "pkcs8", "jwk"];
  const brand = shell.subtle; // crypto.subtle, made by crypto.js

  function format(value) {
    const text = StringCtor(value);
    if (FORMATS.indexOf(text) < 0) throw new TypeErrorCtor("'" + text + "' is not a KeyFormat");
    return text;
  }
  function checkThis(self) { if (self !== brand) throw new TypeErrorCtor("Illegal invocation"); }
  // The key must be of the algorithm the call names and allow the operation.
  function usable(key, alg, usage) {
    const slots = wc.slotsOf(key, "key");
    if (slots.algorithm.name !== alg.name) {
      throw domError("InvalidAccessError", "the key is a " + slots.algorithm.name + " key, not " + alg.name);
    }
    if (slots.usages.indexOf(usage) < 0) throw domError("InvalidAccessError", "the key's usages do not include " + usage);
    return slots;
  }
  function step(alg, name) {
    const fn = kinds[alg.name][name];
    if (fn === undefined) throw domError("NotSupportedError", alg.name + " does not support " + name);
    return fn;
  }
  function keyData(fmt, data) { return fmt === "jwk" ? data : bytesOf(data, "keyData"); }
  function importKey(fmt, data, alg, extractable, usages) {
    return kinds[alg.name].import(fmt, data, alg, !!extractable, usages);
  }
  // An algorithm without an export step (HKDF, PBKDF2) is a NotSupportedError before the
  // extractable check (exportKey steps 6-7, wrapKey steps 11-12).
  function exportKey(fmt, key) {
    const slots = wc.slotsOf(key, "key");
    const kind = kinds[slots.algorithm.name];
    if (kind.export === undefined) throw domError("NotSupportedError", slots.algorithm.name + " keys cannot be exported");
    if (!slots.extractable) throw domError("InvalidAccessError", "the key is not extractable");
    return kind.export(fmt, slots, key);
  }
  function deriveLength(length) {
    if (length === undefined || length === null) return null;
    const number = +length;
    if (!(number >= 0 && number <= 4294967295)) throw new TypeErrorCtor("length must be an unsigned long");
    return number - (number % 1);
  }

  // The standard runs each operation "in parallel" after the synchronous checks: a
  // normalization error rejects at once, an operation error one microtask later.
  function inParallel() { return undefined; }

  const methods = {
    async digest(algorithm, data) {
      checkThis(this);
      const alg = p.normalize("digest", algorithm);
      const bytes = bytesOf(data, "data");
      await inParallel();
      return native("hash.digest", alg.name, bytes);
    },
    async encrypt(algorithm, key, data) {
      checkThis(this);
      const alg = p.normalize("encrypt", algorithm), bytes = bytesOf(data, "data");
      await inParallel();
      return step(alg, "encrypt")(alg, usable(key, alg, "encrypt"), bytes);
    },
    async decrypt(algorithm, key, data) {
      checkThis(this);
      const alg = p.normalize("decrypt", algorithm), bytes = bytesOf(data, "data");
      await inParallel();
      return step(alg, "decrypt")(alg, usable(key, alg, "decrypt"), bytes);
    },
    async sign(algorithm, key, data) {
      checkThis(this);
      const alg = p.normalize("sign", algorithm), bytes = bytesOf(data, "data");
      await inParallel();
      return step(alg, "sign")(alg, usable(key, alg, "sign"), bytes);
    },
    async verify(algorithm, key, signature, data) {
      checkThis(this);
      const alg = p.normalize("verify", algorithm);
      const sig = bytesOf(signature, "signature"), bytes = bytesOf(data, "data");
      await inParallel();
      return step(alg, "verify")(alg, usable(key, alg, "verify"), sig, bytes);
    },
    async generateKey(algorithm, extractable, keyUsages) {
      checkThis(this);
      const alg = p.normalize("generateKey", algorithm), usages = p.usagesOf(keyUsages);
      // The parameters a key cannot be made with (an AES length, a curve, an RSA exponent)
      // reject at once, as browsers do and WPT's generateKey/failures expects; usages only
      // after the operation started.
      const kind = kinds[alg.name];
      if (kind.checkGenerate !== undefined) kind.checkGenerate(alg);
      await inParallel();
      return kind.generate(alg, !!extractable, usages);
    },
    async importKey(fmt, data, algorithm, extractable, keyUsages) {
      checkThis(this);
      const f = format(fmt), bytes = keyData(f, data);
      const alg = p.normalize("importKey", algorithm), usages = p.usagesOf(keyUsages);
      await inParallel();
      return importKey(f, bytes, alg, extractable, usages);
    },
    async exportKey(fmt, key) {
      checkThis(this);
      const f = format(fmt);
      wc.slotsOf(key, "key");
      await inParallel();
      return exportKey(f, key);
    },
    async deriveBits(algorithm, baseKey, length) {
      checkThis(this);
      const alg = p.normalize("deriveBits", algorithm), bits = deriveLength(length);
      wc.slotsOf(baseKey, "baseKey");
      await inParallel();
      return step(alg, "deriveBits")(alg, usable(baseKey, alg, "deriveBits"), bits);
    },
    async deriveKey(algorithm, baseKey, derivedKeyType, extractable, keyUsages) {
      checkThis(this);
      const alg = p.normalize("deriveBits", algorithm);
      const importAlg = p.normalize("importKey", derivedKeyType);
      const lengthAlg = p.normalize("get key length", derivedKeyType);
      const usages = p.usagesOf(keyUsages);
      wc.slotsOf(baseKey, "baseKey");
      await inParallel();
      const slots = usable(baseKey, alg, "deriveKey");
      const length = kinds[lengthAlg.name].keyLength(lengthAlg);
      const secret = step(alg, "deriveBits")(alg, slots, length);
      return importKey("raw", new Uint8ArrayCtor(secret), importAlg, extractable, usages);
    },
    async wrapKey(fmt, key, wrappingKey, wrapAlgorithm) {
      checkThis(this);
      const f = format(fmt);
      const wrap = p.supports("wrapKey", wrapAlgorithm && wrapAlgorithm.name || wrapAlgorithm);
      const alg = p.normalize(wrap ? "wrapKey" : "encrypt", wrapAlgorithm);
      wc.slotsOf(key, "key");
      wc.slotsOf(wrappingKey, "wrappingKey");
      await inParallel();
      const slots = usable(wrappingKey, alg, "wrapKey");
      const exported = exportKey(f, key);
      const bytes = f === "jwk" ? new Uint8ArrayCtor(utf8Encode(jsonStringify(exported)))
        : new Uint8ArrayCtor(exported);
      return step(alg, wrap ? "wrap" : "encrypt")(alg, slots, bytes);
    },
    async unwrapKey(fmt, wrappedKey, unwrappingKey, unwrapAlgorithm, unwrappedKeyAlgorithm, extractable, keyUsages) {
      checkThis(this);
      const f = format(fmt);
      const wrapped = bytesOf(wrappedKey, "wrappedKey");
      const unwrap = p.supports("unwrapKey", unwrapAlgorithm && unwrapAlgorithm.name || unwrapAlgorithm);
      const alg = p.normalize(unwrap ? "unwrapKey" : "decrypt", unwrapAlgorithm);
      const importAlg = p.normalize("importKey", unwrappedKeyAlgorithm);
      const usages = p.usagesOf(keyUsages);
      wc.slotsOf(unwrappingKey, "unwrappingKey");
      await inParallel();
      const slots = usable(unwrappingKey, alg, "unwrapKey");
      const bytes = step(alg, unwrap ? "unwrap" : "decrypt")(alg, slots, wrapped);
      let data = new Uint8ArrayCtor(bytes);
      if (f === "jwk") {
        try {
          data = jsonParse(utf8Decode(bytes));
        } catch (error) {
          throw domError("DataError", "the unwrapped bytes are not a JSON Web Key");
        }
      }
      return importKey(f, data, importAlg, extractable, usages);
    },
  };
  hooks.webCryptoSubtle = methods; // SubtleCrypto.prototype's methods (crypto.js) call these
})
