"""crypto.subtle against published test vectors and against Python's own `cryptography`:
what JS signs, Python verifies (and the reverse), so the formats are the standard's."""

from __future__ import annotations

import hashlib

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from tests.web.cryptojs import run_js


def test_hmac_sha256_matches_rfc4231_case_2() -> None:
    out = run_js("""
      const key = await crypto.subtle.importKey("raw", text("Jefe"), {name: "HMAC", hash: "SHA-256"}, false, ["sign"]);
      return Response.json(hex(await crypto.subtle.sign("HMAC", key, text("what do ya want for nothing?"))));
    """)
    assert out == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"


def test_pbkdf2_sha1_matches_rfc6070() -> None:
    out = run_js("""
      const key = await crypto.subtle.importKey("raw", text("password"), "PBKDF2", false, ["deriveBits"]);
      const params = {name: "PBKDF2", hash: "SHA-1", salt: text("salt"), iterations: 4096};
      return Response.json(hex(await crypto.subtle.deriveBits(params, key, 160)));
    """)
    assert out == "4b007901b765489abead49d926f721d065a429c1"


def test_hkdf_sha256_matches_rfc5869_case_1() -> None:
    out = run_js("""
      const ikm = new Uint8Array(22).fill(0x0b);
      const key = await crypto.subtle.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
      const params = {name: "HKDF", hash: "SHA-256", salt: bytes("000102030405060708090a0b0c"),
                      info: bytes("f0f1f2f3f4f5f6f7f8f9")};
      return Response.json(hex(await crypto.subtle.deriveBits(params, key, 42 * 8)));
    """)
    assert out == ("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")


def test_aes_gcm_matches_nist_test_case_4() -> None:
    out = run_js("""
      const key = await crypto.subtle.importKey("raw", bytes("feffe9928665731c6d6a8f9467308308"), "AES-GCM", false, ["encrypt", "decrypt"]);
      const params = {name: "AES-GCM", iv: bytes("cafebabefacedbaddecaf888"), additionalData: bytes("feedfacedeadbeeffeedfacedeadbeefabaddad2")};
      const plain = bytes("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
      const sealed = await crypto.subtle.encrypt(params, key, plain);
      const opened = await crypto.subtle.decrypt(params, key, sealed);
      return Response.json([hex(sealed), hex(opened) === hex(plain)]);
    """)
    assert out[0] == (
        "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa05"
        "1ba30b396a0aac973d58e091" + "5bc94fbc3221a5db94fae95ae7121a47"
    )
    assert out[1] is True


def test_aes_ctr_counter_wraps_within_its_length_bits() -> None:
    """A 4-bit counter at 0xf wraps to 0 in the low bits only (the standard's rule), which
    differs from OpenSSL's full 128-bit increment."""
    out = run_js("""
      const key = await crypto.subtle.importKey("raw", new Uint8Array(16), "AES-CTR", false, ["encrypt"]);
      const counter = new Uint8Array(16); counter[15] = 0x0f;
      const zero = new Uint8Array(16); zero[15] = 0x00;
      const two = await crypto.subtle.encrypt({name: "AES-CTR", counter, length: 4}, key, new Uint8Array(32));
      const second = await crypto.subtle.encrypt({name: "AES-CTR", counter: zero, length: 4}, key, new Uint8Array(16));
      return Response.json([hex(two).slice(32), hex(second)]);
    """)
    assert out[0] == out[1]


def test_ecdsa_p256_signature_verifies_in_python() -> None:
    out = run_js("""
      const pair = await crypto.subtle.generateKey({name: "ECDSA", namedCurve: "P-256"}, true, ["sign", "verify"]);
      const sig = await crypto.subtle.sign({name: "ECDSA", hash: "SHA-256"}, pair.privateKey, text("hello"));
      return Response.json([hex(await crypto.subtle.exportKey("spki", pair.publicKey)), hex(sig)]);
    """)
    public = serialization.load_der_public_key(bytes.fromhex(out[0]))
    raw = bytes.fromhex(out[1])
    assert len(raw) == 64  # IEEE P1363 r||s, not DER
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    public.verify(der, b"hello", ec.ECDSA(hashes.SHA256()))  # raises if wrong


def test_ed25519_pkcs8_from_python_signs_like_python() -> None:
    private = ed25519.Ed25519PrivateKey.generate()
    pkcs8 = private.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    out = run_js(f"""
      const key = await crypto.subtle.importKey("pkcs8", bytes("{pkcs8.hex()}"), "Ed25519", false, ["sign"]);
      return Response.json(hex(await crypto.subtle.sign("Ed25519", key, text("msg"))));
    """)
    assert bytes.fromhex(out) == private.sign(b"msg")  # Ed25519 is deterministic


def test_ecdh_agrees_with_python_and_derives_an_aes_key() -> None:
    mine = ec.generate_private_key(ec.SECP384R1())
    spki = mine.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    out = run_js(f"""
      const peer = await crypto.subtle.importKey("spki", bytes("{spki.hex()}"), {{name: "ECDH", namedCurve: "P-384"}}, true, []);
      const pair = await crypto.subtle.generateKey({{name: "ECDH", namedCurve: "P-384"}}, true, ["deriveBits", "deriveKey"]);
      const bits = await crypto.subtle.deriveBits({{name: "ECDH", public: peer}}, pair.privateKey, null);
      const aes = await crypto.subtle.deriveKey({{name: "ECDH", public: peer}}, pair.privateKey, {{name: "AES-GCM", length: 256}}, true, ["encrypt"]);
      return Response.json([hex(await crypto.subtle.exportKey("raw", pair.publicKey)), hex(bits),
                            hex(await crypto.subtle.exportKey("raw", aes)), aes.algorithm]);
    """)
    theirs = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP384R1(), bytes.fromhex(out[0]))
    shared = mine.exchange(ec.ECDH(), theirs)
    assert out[1] == shared.hex()
    assert out[2] == shared[:32].hex()
    assert out[3] == {"name": "AES-GCM", "length": 256}


def test_jwk_round_trip_keeps_the_key_and_names_the_algorithm() -> None:
    out = run_js("""
      const key = await crypto.subtle.importKey("raw", text("0123456789abcdef"), {name: "HMAC", hash: "SHA-384"}, true, ["sign", "verify"]);
      const jwk = await crypto.subtle.exportKey("jwk", key);
      const back = await crypto.subtle.importKey("jwk", jwk, {name: "HMAC", hash: "SHA-384"}, true, ["verify"]);
      const sig = await crypto.subtle.sign("HMAC", key, text("x"));
      const pair = await crypto.subtle.generateKey({name: "ECDSA", namedCurve: "P-521"}, true, ["sign", "verify"]);
      const ecJwk = await crypto.subtle.exportKey("jwk", pair.privateKey);
      const ecBack = await crypto.subtle.importKey("jwk", ecJwk, {name: "ECDSA", namedCurve: "P-521"}, false, ["sign"]);
      const ecSig = await crypto.subtle.sign({name: "ECDSA", hash: "SHA-512"}, ecBack, text("y"));
      return Response.json([jwk, await crypto.subtle.verify("HMAC", back, sig, text("x")), ecJwk.crv,
        await crypto.subtle.verify({name: "ECDSA", hash: "SHA-512"}, pair.publicKey, ecSig, text("y"))]);
    """)
    jwk, verified, curve, ec_verified = out
    assert jwk == {
        "kty": "oct",
        "k": "MDEyMzQ1Njc4OWFiY2RlZg",
        "alg": "HS384",
        "key_ops": ["sign", "verify"],
        "ext": True,
    }
    assert verified is True and ec_verified is True and curve == "P-521"


def test_rsa_pss_signature_verifies_in_python() -> None:
    out = run_js("""
      const alg = {name: "RSA-PSS", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256"};
      const pair = await crypto.subtle.generateKey(alg, true, ["sign", "verify"]);
      const sig = await crypto.subtle.sign({name: "RSA-PSS", saltLength: 32}, pair.privateKey, text("data"));
      return Response.json([hex(await crypto.subtle.exportKey("spki", pair.publicKey)), hex(sig)]);
    """)
    from cryptography.hazmat.primitives.asymmetric import padding

    public = serialization.load_der_public_key(bytes.fromhex(out[0]))
    public.verify(
        bytes.fromhex(out[1]), b"data", padding.PSS(padding.MGF1(hashes.SHA256()), 32), hashes.SHA256()
    )


def test_digest_matches_hashlib_for_each_hash() -> None:
    out = run_js("""
      const names = ["SHA-1", "SHA-256", "SHA-384", "SHA-512"], out = {};
      for (const n of names) out[n] = hex(await crypto.subtle.digest(n, text("zigttp")));
      return Response.json(out);
    """)
    for name, algorithm in {
        "SHA-1": "sha1",
        "SHA-256": "sha256",
        "SHA-384": "sha384",
        "SHA-512": "sha512",
    }.items():
        assert out[name] == hashlib.new(algorithm, b"zigttp").hexdigest()
