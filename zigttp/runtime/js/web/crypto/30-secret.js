// crypto.subtle's secret-key algorithms: AES-GCM/CBC/CTR/KW, HMAC, PBKDF2, HKDF. Each entry
// of `kinds` holds the steps of one algorithm (WebCrypto §§ 23-31); the bytes work happens
// on the host (zigttp/web/aes.py, hashing.py).
(function (hooks) {
  "use strict";
  const wc = hooks.webCrypto, p = hooks.webCryptoParams, kinds = p.kinds;
  const native = wc.native, domError = wc.domError;
  const P = hooks.webPrimordials;
  const Uint8ArrayCtor = P.Uint8Array, ArrayBufferCtor = P.ArrayBuffer, TypeErrorCtor = P.TypeError;
  const AES_USAGES = ["encrypt", "decrypt", "wrapKey", "unwrapKey"];
  const BLOCK_BITS = { __proto__: null, "SHA-1": 512, "SHA-256": 512, "SHA-384": 1024, "SHA-512": 1024 };
  const HMAC_ALG = { __proto__: null, "SHA-1": "HS1", "SHA-256": "HS256", "SHA-384": "HS384", "SHA-512": "HS512" };

  function secretKey(extractable, algorithm, usages, bytes) {
    if (usages.length === 0) throw domError("SyntaxError", algorithm.name + " keys need at least one usage");
    return wc.makeKey("secret", extractable, algorithm, usages, bytes);
  }
  function rawOrJwk(format, what) {
    if (format !== "raw" && format !== "jwk") throw domError("NotSupportedError", what + " keys import and export raw or jwk");
  }

  // AES: one kind per mode; the JWK alg is "A" + length + suffix.
  function aes(name, suffix, usagesAllowed) {
    function checkLength(length) {
      if (length !== 128 && length !== 192 && length !== 256) {
        throw domError("OperationError", name + ": length must be 128, 192 or 256, not " + length);
      }
    }
    kinds[name] = {
      generate(alg, extractable, usages) {
        p.checkUsages(usages, usagesAllowed, name);
        checkLength(alg.length);
        return secretKey(extractable, { name, length: alg.length }, usages, native("random.bytes", alg.length / 8));
      },
      import(format, data, alg, extractable, usages) {
        rawOrJwk(format, name);
        p.checkUsages(usages, usagesAllowed, name);
        let bytes = data;
        if (format === "jwk") {
          const jwk = p.jwkOf(data, "oct", "enc", usages, extractable);
          bytes = new Uint8ArrayCtor(native("hash.jwkOctImport", jwk.k));
          const expected = "A" + bytes.length * 8 + suffix;
          if (jwk.alg !== undefined && jwk.alg !== expected) throw domError("DataError", "JWK alg must be " + expected);
        }
        if (bytes.length !== 16 && bytes.length !== 24 && bytes.length !== 32) {
          throw domError("DataError", name + ": a key is 16, 24 or 32 bytes, not " + bytes.length);
        }
        return secretKey(extractable, { name, length: bytes.length * 8 }, usages, bytes);
      },
      export(format, slots, key) {
        rawOrJwk(format, name);
        if (format === "raw") return new Uint8ArrayCtor(slots.material).buffer;
        return p.jwkOut({ kty: "oct", k: native("hash.jwkOctExport", slots.material),
          alg: "A" + slots.algorithm.length + suffix }, key);
      },
      checkGenerate(alg) { checkLength(alg.length); },
      keyLength(alg) { checkLength(alg.length); return alg.length; },
      encrypt(alg, slots, data) { return native("aes.crypt", name, true, slots.material, alg, data); },
      decrypt(alg, slots, data) { return native("aes.crypt", name, false, slots.material, alg, data); },
    };
  }
  aes("AES-GCM", "GCM", AES_USAGES);
  aes("AES-CBC", "CBC", AES_USAGES);
  aes("AES-CTR", "CTR", AES_USAGES);
  aes("AES-KW", "KW", ["wrapKey", "unwrapKey"]);
  kinds["AES-KW"].wrap = (alg, slots, data) => native("aes.crypt", "AES-KW", true, slots.material, alg, data);
  kinds["AES-KW"].unwrap = (alg, slots, data) => native("aes.crypt", "AES-KW", false, slots.material, alg, data);

  function hmacLength(alg, bytes) {
    if (alg.length === undefined) return bytes * 8;
    if (alg.length === 0 || alg.length > bytes * 8 || alg.length <= bytes * 8 - 8) {
      throw domError("DataError", "HMAC: length " + alg.length + " does not fit a " + bytes + "-byte key");
    }
    return alg.length;
  }
  kinds.HMAC = {
    generate(alg, extractable, usages) {
      p.checkUsages(usages, ["sign", "verify"], "HMAC");
      const length = alg.length === undefined ? BLOCK_BITS[alg.hash.name] : alg.length;
      if (length === 0) throw domError("OperationError", "HMAC: length must not be 0");
      const bytes = new Uint8ArrayCtor(native("random.bytes", (length + 7) >> 3));
      if (length % 8) bytes[bytes.length - 1] &= (0xff << (8 - length % 8)) & 0xff;
      return secretKey(extractable, { name: "HMAC", hash: { name: alg.hash.name }, length }, usages, bytes);
    },
    import(format, data, alg, extractable, usages) {
      rawOrJwk(format, "HMAC");
      p.checkUsages(usages, ["sign", "verify"], "HMAC");
      let bytes = data;
      if (format === "jwk") {
        const jwk = p.jwkOf(data, "oct", "sig", usages, extractable);
        bytes = new Uint8ArrayCtor(native("hash.jwkOctImport", jwk.k));
        const expected = HMAC_ALG[alg.hash.name];
        if (jwk.alg !== undefined && jwk.alg !== expected) throw domError("DataError", "JWK alg must be " + expected);
      }
      if (bytes.length === 0) throw domError("DataError", "HMAC: the key is empty");
      const length = hmacLength(alg, bytes.length);
      return secretKey(extractable, { name: "HMAC", hash: { name: alg.hash.name }, length }, usages, bytes);
    },
    export(format, slots, key) {
      rawOrJwk(format, "HMAC");
      if (format === "raw") return new Uint8ArrayCtor(slots.material).buffer;
      return p.jwkOut({ kty: "oct", k: native("hash.jwkOctExport", slots.material),
        alg: HMAC_ALG[slots.algorithm.hash.name] }, key);
    },
    keyLength(alg) {
      if (alg.length === undefined) return BLOCK_BITS[alg.hash.name];
      if (alg.length === 0) throw new TypeErrorCtor("HMAC: length must not be 0");
      return alg.length;
    },
    sign(alg, slots, data) { return native("hash.hmac", slots.algorithm.hash.name, slots.material, data); },
    verify(alg, slots, signature, data) {
      return native("hash.hmacVerify", slots.algorithm.hash.name, slots.material, signature, data);
    },
  };

  // PBKDF2 and HKDF keys are passwords / input keying material: raw import only, never
  // extractable, no export step at all (exportKey: NotSupportedError), and their
  // deriveBits wants an explicit length in whole bytes.
  function kdf(name, derive) {
    kinds[name] = {
      import(format, data, alg, extractable, usages) {
        if (format !== "raw") throw domError("NotSupportedError", name + " keys import raw only");
        p.checkUsages(usages, ["deriveKey", "deriveBits"], name);
        if (extractable) throw domError("SyntaxError", name + " keys cannot be extractable");
        return secretKey(false, { name }, usages, data);
      },
      keyLength() { return null; },
      deriveBits(alg, slots, length) {
        if (length === null) throw domError("OperationError", name + ": deriveBits needs a length");
        if (length % 8) throw domError("OperationError", name + ": length must be a multiple of 8");
        return derive(alg, slots.material, length);
      },
    };
  }
  kdf("PBKDF2", (alg, password, length) => {
    if (alg.iterations === 0) throw domError("OperationError", "PBKDF2: iterations must not be 0");
    if (length === 0) return new ArrayBufferCtor(0);
    return native("hash.pbkdf2", alg.hash.name, password, alg.salt, alg.iterations, length, hooks.remaining());
  });
  kdf("HKDF", (alg, key, length) => {
    if (length === 0) return new ArrayBufferCtor(0);
    return native("hash.hkdf", alg.hash.name, key, alg.salt, alg.info, length);
  });
})
