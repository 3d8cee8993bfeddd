// crypto.subtle's algorithm normalization (WebCrypto §18.4): which algorithm names each
// operation accepts, and the WebIDL conversion of each parameter dictionary. A name no
// operation registers is a NotSupportedError, a missing or mistyped member a TypeError.
(function (hooks) {
  "use strict";
  const wc = hooks.webCrypto, P = hooks.webPrimordials;
  const TypeErrorCtor = P.TypeError, StringCtor = P.String, NumberCtor = P.Number;
  const MathTrunc = P.trunc, isFinite = P.isFinite, freeze = P.freeze, objectKeys = P.keys;
  const Uint8ArrayCtor = P.Uint8Array;
  const lower = P.lower;

  // Parameter dictionaries: [member, kind, required], in the lexicographic order WebIDL
  // converts members in.
  const AES_GCM = [["additionalData", "buffer", false], ["iv", "buffer", true], ["tagLength", "octet", false]];
  const AES_CBC = [["iv", "buffer", true]];
  const AES_CTR = [["counter", "buffer", true], ["length", "octet", true]];
  const AES_LENGTH = [["length", "ushort", true]];
  const HMAC = [["hash", "hash", true], ["length", "ulong", false]];
  const EC = [["namedCurve", "string", true]];
  const ECDSA = [["hash", "hash", true]];
  const PUBLIC = [["public", "key", true]];
  const HKDF = [["hash", "hash", true], ["info", "buffer", true], ["salt", "buffer", true]];
  const PBKDF2 = [["hash", "hash", true], ["iterations", "ulong", true], ["salt", "buffer", true]];
  const RSA_GEN = [["hash", "hash", true], ["modulusLength", "ulong", true], ["publicExponent", "bigint", true]];
  const RSA_IMPORT = [["hash", "hash", true]];
  const RSA_PSS = [["saltLength", "ulong", true]];
  const RSA_OAEP = [["label", "buffer", false]];
  const NONE = [];
  const AES = ["AES-GCM", "AES-CBC", "AES-CTR", "AES-KW"];
  const RSA = ["RSASSA-PKCS1-v1_5", "RSA-PSS", "RSA-OAEP"];

  const REGISTRY = { __proto__: null };
  function register(op, names, params) {
    const table = REGISTRY[op] || (REGISTRY[op] = { __proto__: null });
    for (let i = 0; i < names.length; i++) table[lower(names[i])] = [names[i], params];
  }
  register("digest", ["SHA-1", "SHA-256", "SHA-384", "SHA-512"], NONE);
  const SIGN = ["sign", "verify"], CRYPT = ["encrypt", "decrypt"];
  for (let i = 0; i < 2; i++) {
    const op = SIGN[i];
    register(op, ["HMAC", "Ed25519", "RSASSA-PKCS1-v1_5"], NONE);
    register(op, ["ECDSA"], ECDSA);
    register(op, ["RSA-PSS"], RSA_PSS);
  }
  for (let i = 0; i < 2; i++) {
    const op = CRYPT[i];
    register(op, ["AES-GCM"], AES_GCM);
    register(op, ["AES-CBC"], AES_CBC);
    register(op, ["AES-CTR"], AES_CTR);
    register(op, ["RSA-OAEP"], RSA_OAEP);
  }
  register("generateKey", AES, AES_LENGTH);
  register("generateKey", ["HMAC"], HMAC);
  register("generateKey", ["ECDSA", "ECDH"], EC);
  register("generateKey", ["Ed25519", "X25519"], NONE);
  register("generateKey", RSA, RSA_GEN);
  register("importKey", AES, NONE);
  register("importKey", ["Ed25519", "X25519", "PBKDF2", "HKDF"], NONE);
  register("importKey", ["HMAC"], HMAC);
  register("importKey", ["ECDSA", "ECDH"], EC);
  register("importKey", RSA, RSA_IMPORT);
  register("deriveBits", ["ECDH", "X25519"], PUBLIC);
  register("deriveBits", ["HKDF"], HKDF);
  register("deriveBits", ["PBKDF2"], PBKDF2);
  register("get key length", AES, AES_LENGTH);
  register("get key length", ["HMAC"], HMAC);
  register("get key length", ["HKDF", "PBKDF2"], NONE);
  register("wrapKey", ["AES-KW"], NONE);
  register("unwrapKey", ["AES-KW"], NONE);

  // WebIDL integer conversions with [EnforceRange]: a non-finite or out-of-range value throws.
  function enforceRange(value, max, where) {
    const number = NumberCtor(value);
    if (!isFinite(number)) throw new TypeErrorCtor(where + " must be a finite number");
    const integer = MathTrunc(number) + 0;
    if (integer < 0 || integer > max) throw new TypeErrorCtor(where + " must be an integer from 0 to " + max);
    return integer;
  }
  function convert(kind, value, where) {
    switch (kind) {
      case "buffer": return wc.bytesOf(value, where);
      case "hash": return normalize("digest", value);
      case "octet": return enforceRange(value, 255, where);
      case "ushort": return enforceRange(value, 65535, where);
      case "ulong": return enforceRange(value, 4294967295, where);
      case "string": return StringCtor(value);
      case "key": wc.slotsOf(value, where); return value;
      case "bigint":
        if (!(value instanceof Uint8ArrayCtor)) throw new TypeErrorCtor(where + " must be a Uint8Array");
        return new Uint8ArrayCtor(value);
    }
    throw new TypeErrorCtor("unknown parameter kind " + kind);
  }

  // normalize(op, algorithm) → { name, ...members } with a null prototype.
  function normalize(op, algorithm) {
    const dict = typeof algorithm === "object" && algorithm !== null ? algorithm
      : typeof algorithm === "function" ? algorithm : { name: algorithm };
    const rawName = dict.name;
    if (rawName === undefined) throw new TypeErrorCtor("the algorithm has no name");
    const name = StringCtor(rawName);
    const entry = REGISTRY[op] && REGISTRY[op][lower(name)];
    if (entry === undefined) {
      throw wc.domError("NotSupportedError", "algorithm " + name + " is not supported for " + op);
    }
    const out = { __proto__: null, name: entry[0] };
    const params = entry[1];
    for (let i = 0; i < params.length; i++) {
      const member = params[i][0], value = dict[member];
      const where = entry[0] + "." + member;
      if (value === undefined) {
        if (params[i][2]) throw new TypeErrorCtor(where + " is required");
        continue;
      }
      out[member] = convert(params[i][1], value, where);
    }
    return freeze(out);
  }
  function supports(op, name) { return REGISTRY[op] !== undefined && REGISTRY[op][lower(name)] !== undefined; }

  // KeyUsage sequences: converted (TypeError for an unknown usage), de-duplicated, and kept
  // in one canonical order, as browsers report them.
  const USAGES = ["encrypt", "decrypt", "sign", "verify", "deriveKey", "deriveBits", "wrapKey", "unwrapKey"];
  function usagesOf(usages) {
    if (usages === null || typeof usages !== "object") throw new TypeErrorCtor("keyUsages must be a sequence");
    const seen = { __proto__: null };
    for (const usage of usages) {
      const text = StringCtor(usage);
      if (USAGES.indexOf(text) < 0) throw new TypeErrorCtor("'" + text + "' is not a KeyUsage");
      seen[text] = true;
    }
    const out = [];
    for (let i = 0; i < USAGES.length; i++) if (seen[USAGES[i]]) out.push(USAGES[i]);
    return out;
  }
  // A SyntaxError unless every usage is one the algorithm allows for this kind of key.
  function checkUsages(usages, allowed, what) {
    for (let i = 0; i < usages.length; i++) {
      if (allowed.indexOf(usages[i]) < 0) {
        throw wc.domError("SyntaxError", what + " keys cannot be used to " + usages[i]);
      }
    }
  }
  function only(list, allowed) {
    const out = [];
    for (let i = 0; i < list.length; i++) if (allowed.indexOf(list[i]) >= 0) out.push(list[i]);
    return out;
  }

  // JsonWebKey dictionary conversion plus the checks every JWK import makes (§14.3.9 and
  // each algorithm's "jwk" steps): kty, use, key_ops against the usages, ext.
  const JWK_STRINGS = ["kty", "use", "alg", "crv", "x", "y", "d", "n", "e", "p", "q", "dp", "dq", "qi", "k"];
  function jwkOf(keyData, kty, use, usages, extractable) {
    if (keyData === null || typeof keyData !== "object") throw new TypeErrorCtor("a jwk keyData must be an object");
    const jwk = { __proto__: null };
    for (let i = 0; i < JWK_STRINGS.length; i++) {
      const value = keyData[JWK_STRINGS[i]];
      if (value !== undefined) jwk[JWK_STRINGS[i]] = StringCtor(value);
    }
    if (keyData.ext !== undefined) jwk.ext = !!keyData.ext;
    if (keyData.key_ops !== undefined) jwk.key_ops = usagesList(keyData.key_ops);
    if (jwk.kty !== kty) throw wc.domError("DataError", "JWK kty must be '" + kty + "'");
    if (usages.length > 0 && jwk.use !== undefined && jwk.use !== use) {
      throw wc.domError("DataError", "JWK use must be '" + use + "'");
    }
    if (jwk.key_ops !== undefined) {
      for (let i = 0; i < usages.length; i++) {
        if (jwk.key_ops.indexOf(usages[i]) < 0) {
          throw wc.domError("DataError", "JWK key_ops does not allow " + usages[i]);
        }
      }
    }
    if (jwk.ext === false && extractable) throw wc.domError("DataError", "JWK ext is false: the key cannot be extractable");
    return jwk;
  }
  function usagesList(value) {
    if (value === null || typeof value !== "object") throw new TypeErrorCtor("JWK key_ops must be a sequence");
    const out = [];
    for (const item of value) {
      const text = StringCtor(item);
      if (out.indexOf(text) >= 0) throw wc.domError("DataError", "JWK key_ops repeats " + text);
      out.push(text);
    }
    return out;
  }
  function jwkOut(fields, key) {
    const out = {};
    const names = objectKeys(fields);
    for (let i = 0; i < names.length; i++) out[names[i]] = fields[names[i]];
    out.key_ops = key.usages.slice();
    out.ext = key.extractable;
    return out;
  }

  // The algorithms' implementations (30-secret.js, 40-pair.js) register here, by
  // normalized name; 50-subtle.js dispatches to them.
  const kinds = { __proto__: null };
  hooks.webCryptoParams = freeze({ __proto__: null, normalize, supports, usagesOf, checkUsages, only, jwkOf,
    jwkOut, kinds });
})
