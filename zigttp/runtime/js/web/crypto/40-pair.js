// crypto.subtle's key-pair algorithms: ECDSA, ECDH, Ed25519, X25519 and the RSA family
// (WebCrypto §§ 20-25, Secure Curves). Keys hold DER (PKCS #8 / SPKI) as material; the
// host side (zigttp/web/ec.py, rsa.py) parses, signs and derives with `cryptography`.
(function (hooks) {
  "use strict";
  const wc = hooks.webCrypto, p = hooks.webCryptoParams, kinds = p.kinds;
  const native = wc.native, domError = wc.domError;
  const P = hooks.webPrimordials;
  const Uint8ArrayCtor = P.Uint8Array, objectKeys = P.keys;
  const CURVES = ["P-256", "P-384", "P-521"];
  const ES_ALG = { __proto__: null, "P-256": "ES256", "P-384": "ES384", "P-521": "ES512" };

  // Which usages each half of a pair may have, and what its JWK "use" must be.
  function pairKind(name, privateUsages, publicUsages, use, ops) {
    const curveOf = (alg) => (alg.namedCurve === undefined ? name : alg.namedCurve);
    function checkCurve(alg) {
      if (alg.namedCurve !== undefined && CURVES.indexOf(alg.namedCurve) < 0) {
        throw domError("NotSupportedError", name + ": namedCurve " + alg.namedCurve + " is not supported");
      }
    }
    function algorithmOf(alg, curve) { return alg.namedCurve === undefined ? { name } : { name, namedCurve: curve }; }
    function make(type, extractable, algorithm, usages, der) {
      if (type === "private" && usages.length === 0) throw domError("SyntaxError", name + " private keys need a usage");
      return wc.makeKey(type, extractable, algorithm, p.only(usages, type === "private" ? privateUsages : publicUsages), der);
    }
    kinds[name] = {
      checkGenerate: checkCurve,
      generate(alg, extractable, usages) {
        p.checkUsages(usages, privateUsages.concat(publicUsages), name);
        checkCurve(alg);
        const pair = native("ec.generate", name, curveOf(alg));
        const algorithm = algorithmOf(alg, alg.namedCurve);
        const privateKey = make("private", extractable, algorithm, usages, pair.private);
        return { publicKey: make("public", true, algorithm, usages, pair.public), privateKey };
      },
      import(format, data, alg, extractable, usages) {
        checkCurve(alg);
        if (format !== "spki" && format !== "pkcs8" && format !== "raw" && format !== "jwk") {
          throw domError("NotSupportedError", name + ": format " + format);
        }
        let input = data, type = format === "pkcs8" ? "private" : "public";
        if (format === "jwk") {
          const jwk = p.jwkOf(data, alg.namedCurve === undefined ? "OKP" : "EC", use, usages, extractable);
          if (jwk.d !== undefined) type = "private";
          checkJwkAlg(jwk, alg);
          input = jwk;
        }
        p.checkUsages(usages, type === "private" ? privateUsages : publicUsages, name + " " + type);
        const imported = native("ec.import", name, curveOf(alg), format, input);
        return make(imported.type, extractable, algorithmOf(alg, imported.curve), usages, imported.der);
      },
      export(format, slots, key) {
        checkFormat(format, slots.type);
        if (format === "jwk") return p.jwkOut(native("ec.export", name, "jwk", slots.type, slots.material), key);
        return native("ec.export", name, format, slots.type, slots.material);
      },
    };
    function checkJwkAlg(jwk, alg) {
      if (jwk.alg === undefined) return;
      if (name === "ECDSA" && jwk.alg !== ES_ALG[alg.namedCurve]) {
        throw domError("DataError", "JWK alg must be " + ES_ALG[alg.namedCurve]);
      }
      if (name === "Ed25519" && jwk.alg !== "Ed25519" && jwk.alg !== "EdDSA") {
        throw domError("DataError", "JWK alg must be Ed25519 or EdDSA");
      }
    }
    const kind = kinds[name];
    const names = objectKeys(ops);
    for (let i = 0; i < names.length; i++) kind[names[i]] = ops[names[i]];
  }
  function checkFormat(format, type) {
    if ((format === "spki" || format === "raw") && type !== "public") {
      throw domError("InvalidAccessError", format + " exports public keys only");
    }
    if (format === "pkcs8" && type !== "private") throw domError("InvalidAccessError", "pkcs8 exports private keys only");
  }

  const signing = {
    sign(alg, slots, data) { return native("ec.sign", slots.algorithm.name, alg.hash ? alg.hash.name : "", slots.material, data); },
    verify(alg, slots, signature, data) {
      return native("ec.verify", slots.algorithm.name, alg.hash ? alg.hash.name : "", slots.material, signature, data);
    },
  };
  // ECDH / X25519 deriveBits: the peer's public key of the same algorithm (and curve).
  const agreement = {
    deriveBits(alg, slots, length) {
      const peer = wc.slotsOf(alg.public, "public");
      if (peer.type !== "public") throw domError("InvalidAccessError", "the public member must be a public key");
      if (peer.algorithm.name !== slots.algorithm.name || peer.algorithm.namedCurve !== slots.algorithm.namedCurve) {
        throw domError("InvalidAccessError", "the public key's algorithm does not match the private key's");
      }
      // Only captured builtins touch the secret: a deriveKey's bits must not leak through a
      // handler's %TypedArray%.prototype.slice.
      const secret = native("ec.derive", slots.algorithm.name, slots.material, peer.material);
      const size = wc.byteLength(secret) * 8;
      if (length === null) return secret;
      if (length > size) throw domError("OperationError", "length exceeds the shared secret's " + size + " bits");
      const out = P.call(P.abSlice, secret, 0, (length + 7) >> 3);
      if (length % 8) {
        const view = new Uint8ArrayCtor(out);
        view[view.length - 1] &= (0xff << (8 - length % 8)) & 0xff;
      }
      return out;
    },
  };
  pairKind("ECDSA", ["sign"], ["verify"], "sig", signing);
  pairKind("Ed25519", ["sign"], ["verify"], "sig", signing);
  pairKind("ECDH", ["deriveKey", "deriveBits"], [], "enc", agreement);
  pairKind("X25519", ["deriveKey", "deriveBits"], [], "enc", agreement);

  // RSA: the JWK alg names the hash; the algorithm dictionary carries modulus and exponent.
  const RSA_ALG = { __proto__: null,
    "RSASSA-PKCS1-v1_5": { "SHA-1": "RS1", "SHA-256": "RS256", "SHA-384": "RS384", "SHA-512": "RS512" },
    "RSA-PSS": { "SHA-1": "PS1", "SHA-256": "PS256", "SHA-384": "PS384", "SHA-512": "PS512" },
    "RSA-OAEP": { "SHA-1": "RSA-OAEP", "SHA-256": "RSA-OAEP-256", "SHA-384": "RSA-OAEP-384", "SHA-512": "RSA-OAEP-512" } };
  function rsaKind(name, privateUsages, publicUsages, use, ops) {
    function algorithmOf(hash, info) {
      return { name, modulusLength: info.modulusLength, publicExponent: new Uint8ArrayCtor(info.publicExponent),
        hash: { name: hash } };
    }
    function make(type, extractable, algorithm, usages, der) {
      if (type === "private" && usages.length === 0) throw domError("SyntaxError", name + " private keys need a usage");
      return wc.makeKey(type, extractable, algorithm, p.only(usages, type === "private" ? privateUsages : publicUsages), der);
    }
    kinds[name] = {
      checkGenerate(alg) {
        const e = alg.publicExponent;
        let value = 0;
        for (let i = 0; i < e.length; i++) value = value * 256 + e[i];
        if (value !== 3 && value !== 65537) {
          throw domError("OperationError", name + ": publicExponent must be 3 or 65537 (bytes [1, 0, 1]), not " + value);
        }
      },
      generate(alg, extractable, usages) {
        p.checkUsages(usages, privateUsages.concat(publicUsages), name);
        const pair = native("rsa.generate", alg.modulusLength, alg.publicExponent);
        const algorithm = algorithmOf(alg.hash.name, pair);
        const privateKey = make("private", extractable, algorithm, usages, pair.private);
        return { publicKey: make("public", true, algorithm, usages, pair.public), privateKey };
      },
      import(format, data, alg, extractable, usages) {
        if (format !== "spki" && format !== "pkcs8" && format !== "jwk") throw domError("NotSupportedError", name + ": format " + format);
        let input = data, type = format === "pkcs8" ? "private" : "public";
        if (format === "jwk") {
          const jwk = p.jwkOf(data, "RSA", use, usages, extractable);
          if (jwk.d !== undefined) type = "private";
          const expected = RSA_ALG[name][alg.hash.name];
          if (jwk.alg !== undefined && jwk.alg !== expected) throw domError("DataError", "JWK alg must be " + expected);
          input = jwk;
        }
        p.checkUsages(usages, type === "private" ? privateUsages : publicUsages, name + " " + type);
        const info = native("rsa.import", format, input);
        if (info.type !== type) throw domError("DataError", "the key is not a " + type + " key");
        return make(info.type, extractable, algorithmOf(alg.hash.name, info), usages, info.der);
      },
      export(format, slots, key) {
        if (format === "raw") throw domError("NotSupportedError", name + " keys do not export raw");
        checkFormat(format, slots.type);
        if (format !== "jwk") return native("rsa.export", format, slots.type, slots.material);
        const jwk = native("rsa.export", "jwk", slots.type, slots.material);
        jwk.alg = RSA_ALG[name][slots.algorithm.hash.name];
        return p.jwkOut(jwk, key);
      },
    };
    const names = objectKeys(ops);
    for (let i = 0; i < names.length; i++) kinds[name][names[i]] = ops[names[i]];
  }
  const rsaSigning = {
    sign(alg, slots, data) {
      return native("rsa.sign", slots.algorithm.name, slots.algorithm.hash.name, slots.material,
        alg.saltLength === undefined ? null : alg.saltLength, data);
    },
    verify(alg, slots, signature, data) {
      return native("rsa.verify", slots.algorithm.name, slots.algorithm.hash.name, slots.material,
        alg.saltLength === undefined ? null : alg.saltLength, signature, data);
    },
  };
  rsaKind("RSASSA-PKCS1-v1_5", ["sign"], ["verify"], "sig", rsaSigning);
  rsaKind("RSA-PSS", ["sign"], ["verify"], "sig", rsaSigning);
  rsaKind("RSA-OAEP", ["decrypt", "unwrapKey"], ["encrypt", "wrapKey"], "enc", {
    encrypt(alg, slots, data) {
      if (slots.type !== "public") throw domError("InvalidAccessError", "RSA-OAEP encrypts with the public key");
      return native("rsa.oaep", true, slots.algorithm.hash.name, slots.material, alg.label || null, data);
    },
    decrypt(alg, slots, data) {
      if (slots.type !== "private") throw domError("InvalidAccessError", "RSA-OAEP decrypts with the private key");
      return native("rsa.oaep", false, slots.algorithm.hash.name, slots.material, alg.label || null, data);
    },
  });
})
