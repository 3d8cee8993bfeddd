"""zigttp's rules for crypto.subtle beyond WPT: key material is unreachable from JS except
through exportKey of an extractable key, every failure is a typed DOMException (or the
WebIDL TypeError), and PBKDF2's caller-chosen cost cannot outrun the request's deadline."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.web.cryptojs import run_js
from zigttp.runtime.limits import RuntimeLimits

SECRET = "73656372657420736563726574"  # the raw key bytes the handler must never see again


def test_a_non_extractable_keys_bytes_are_not_reachable_from_js() -> None:
    out = run_js(f"""
      const key = await crypto.subtle.importKey("raw", bytes("{SECRET}"), {{name: "HMAC", hash: "SHA-256"}}, false, ["sign"]);
      const seen = [];
      const visit = (value, depth) => {{
        if (depth > 4 || value === null || (typeof value !== "object" && typeof value !== "function")) {{
          seen.push(String(value)); return;
        }}
        if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) seen.push(hex(value));
        for (const name of Reflect.ownKeys(value)) {{
          const d = Object.getOwnPropertyDescriptor(value, name);
          if (d && "value" in d) visit(d.value, depth + 1);
        }}
      }};
      visit(key, 0); visit(Object.getPrototypeOf(key), 0); visit(key.algorithm, 0); visit(key.usages, 0);
      seen.push(JSON.stringify(key), JSON.stringify(key.algorithm));
      for (const name of ["type", "extractable", "algorithm", "usages"]) seen.push(JSON.stringify(key[name]));
      return Response.json({{seen, export: await fail(crypto.subtle.exportKey("raw", key)),
                             jwk: await fail(crypto.subtle.exportKey("jwk", key))}});
    """)
    assert not any(SECRET in text for text in out["seen"])
    assert out["export"][:2] == ["InvalidAccessError", True]
    assert out["jwk"][:2] == ["InvalidAccessError", True]


def test_replaced_builtins_cannot_harvest_key_records() -> None:
    """A handler that swaps WeakMap.prototype.get/set or Object.freeze to catch the internal
    record sees nothing: the crypto files captured those builtins at load."""
    out = run_js(f"""
      const caught = [];
      const get = WeakMap.prototype.get, set = WeakMap.prototype.set;
      WeakMap.prototype.get = function (k) {{ const v = get.call(this, k); caught.push(v); return v; }};
      WeakMap.prototype.set = function (k, v) {{ caught.push(v); return set.call(this, k, v); }};
      const freeze = Object.freeze;
      Object.freeze = (o) => {{ caught.push(o); return freeze(o); }};
      const key = await crypto.subtle.importKey("raw", bytes("{SECRET}"), {{name: "HMAC", hash: "SHA-256"}}, false, ["sign"]);
      const sig = await crypto.subtle.sign("HMAC", key, text("x"));
      const dump = caught.map((v) => v && typeof v === "object" && v.material ? hex(v.material) : typeof v);
      return Response.json({{dump, signed: sig.byteLength}});
    """)
    assert out["signed"] == 32
    assert not any(SECRET in entry for entry in out["dump"])


def test_crypto_key_and_subtle_have_no_public_constructor() -> None:
    out = run_js("""
      const errors = [];
      for (const make of [() => new CryptoKey(), () => new SubtleCrypto(), () => new Crypto()]) {
        try { make(); errors.push("constructed"); } catch (e) { errors.push(e.name); }
      }
      const getter = Object.getOwnPropertyDescriptor(CryptoKey.prototype, "type").get;
      try { getter.call({}); errors.push("read"); } catch (e) { errors.push(e.name); }
      errors.push(await fail(SubtleCrypto.prototype.digest.call({}, "SHA-256", new Uint8Array(1))));
      return Response.json(errors);
    """)
    assert out[:4] == ["TypeError"] * 4
    assert out[4][0] == "TypeError"


@pytest.mark.parametrize(
    ("call", "name"),
    [
        ('crypto.subtle.digest("MD5", new Uint8Array(1))', "NotSupportedError"),
        ('crypto.subtle.importKey("raw", new Uint8Array(5), "AES-GCM", false, ["encrypt"])', "DataError"),
        ('crypto.subtle.generateKey({name: "AES-GCM", length: 128}, false, ["sign"])', "SyntaxError"),
        ('crypto.subtle.generateKey({name: "AES-GCM", length: 100}, false, ["encrypt"])', "OperationError"),
        ('crypto.subtle.generateKey({name: "HMAC", hash: "SHA-256"}, false, [])', "SyntaxError"),
        ('crypto.subtle.importKey("raw", new Uint8Array(8), "PBKDF2", true, ["deriveBits"])', "SyntaxError"),
        ('crypto.subtle.importKey("jwk", {kty: "oct", k: "!!"}, "AES-CBC", false, ["encrypt"])', "DataError"),
        (
            'crypto.subtle.importKey("spki", new Uint8Array(3), {name: "ECDSA", namedCurve: "P-256"}, false, ["verify"])',
            "DataError",
        ),
        (
            'crypto.subtle.generateKey({name: "ECDSA", namedCurve: "P-512"}, false, ["sign"])',
            "NotSupportedError",
        ),
    ],
)
def test_failures_are_the_dom_exceptions_the_standard_names(call: str, name: str) -> None:
    out = run_js(f"return Response.json(await fail({call}));")
    assert out[:2] == [name, True], out


def test_wrong_usage_and_wrong_algorithm_are_invalid_access_errors() -> None:
    out = run_js("""
      const key = await crypto.subtle.generateKey({name: "AES-GCM", length: 128}, false, ["encrypt"]);
      const iv = new Uint8Array(12);
      return Response.json([
        await fail(crypto.subtle.decrypt({name: "AES-GCM", iv}, key, new Uint8Array(32))),
        await fail(crypto.subtle.encrypt({name: "AES-CBC", iv: new Uint8Array(16)}, key, new Uint8Array(1))),
        await fail(crypto.subtle.decrypt({name: "AES-GCM", iv}, await crypto.subtle.generateKey({name: "AES-GCM", length: 128}, false, ["decrypt"]), new Uint8Array(32))),
        await fail(crypto.subtle.encrypt({name: "AES-GCM"}, key, new Uint8Array(1))),
      ]);
    """)
    assert [entry[0] for entry in out] == [
        "InvalidAccessError",
        "InvalidAccessError",
        "OperationError",
        "TypeError",
    ]
    assert out[3][1] is False  # a WebIDL conversion failure is a TypeError, not a DOMException


def test_generate_key_parameters_reject_before_usages_are_checked() -> None:
    """An AES length, a curve or an RSA exponent no key can have rejects at once (before a
    queued microtask runs, as browsers do and WPT's generateKey/failures expects), even with
    empty usages; bad usages reject only once the operation has started."""
    out = run_js("""
      const when = (promise) => {
        let ticked = false;
        const seen = promise.then(() => "resolved", (e) => [e.name, ticked]);
        Promise.resolve().then(() => { ticked = true; });
        return seen;
      };
      return Response.json([
        await when(crypto.subtle.generateKey({name: "AES-GCM", length: 127}, true, [])),
        await when(crypto.subtle.generateKey({name: "ECDSA", namedCurve: "P-512"}, true, ["sign"])),
        await when(crypto.subtle.generateKey({name: "RSA-PSS", hash: "SHA-256", modulusLength: 1024,
          publicExponent: new Uint8Array([1, 0, 0])}, true, ["sign"])),
        await when(crypto.subtle.generateKey({name: "AES-GCM", length: 128}, true, ["sign"])),
      ]);
    """)
    assert out == [
        ["OperationError", False],
        ["NotSupportedError", False],
        ["OperationError", False],
        ["SyntaxError", True],
    ]


def test_exporting_a_kdf_key_is_not_supported_before_it_is_not_extractable() -> None:
    """HKDF/PBKDF2 have no export step: exportKey and wrapKey say NotSupportedError (steps
    6/11) although such a key is also never extractable (steps 7/12, InvalidAccessError)."""
    out = run_js("""
      const kdf = await crypto.subtle.importKey("raw", text("pw"), "HKDF", false, ["deriveBits"]);
      const aes = await crypto.subtle.importKey("raw", new Uint8Array(16), "AES-CBC", false, ["encrypt"]);
      const kw = await crypto.subtle.importKey("raw", new Uint8Array(16), "AES-KW", false, ["wrapKey"]);
      return Response.json([
        await fail(crypto.subtle.exportKey("raw", kdf)),
        await fail(crypto.subtle.wrapKey("raw", kdf, kw, "AES-KW")),
        await fail(crypto.subtle.exportKey("raw", aes)),
      ]);
    """)
    assert [entry[0] for entry in out] == ["NotSupportedError", "NotSupportedError", "InvalidAccessError"]


def test_ed25519_small_order_key_and_signature_verify_nothing() -> None:
    """The identity point as public key with R = identity, S = 0 satisfies the plain
    (cofactorless) Ed25519 equation for every message, and OpenSSL accepts it; WebCrypto's
    Ed25519 verify refuses small-order keys and R values, so it must say false."""
    identity = "01" + "00" * 31
    out = run_js(f"""
      const key = await crypto.subtle.importKey("raw", bytes("{identity}"), "Ed25519", false, ["verify"]);
      const forged = bytes("{identity}" + "00".repeat(32));
      const pair = await crypto.subtle.generateKey("Ed25519", false, ["sign", "verify"]);
      const good = await crypto.subtle.sign("Ed25519", pair.privateKey, text("pay 1"));
      return Response.json([
        await crypto.subtle.verify("Ed25519", key, forged, text("pay 1")),
        await crypto.subtle.verify("Ed25519", key, forged, text("pay 1000")),
        await crypto.subtle.verify("Ed25519", pair.publicKey, good, text("pay 1")),
      ]);
    """)
    assert out == [False, False, True]


def test_pbkdf2_that_would_outrun_the_deadline_is_refused_up_front() -> None:
    """9 million iterations take seconds; with a 1 s request budget the call is refused with a
    typed OperationError naming the deadline, and the handler can still answer."""
    out = run_js(
        """
      const key = await crypto.subtle.importKey("raw", text("pw"), "PBKDF2", false, ["deriveBits"]);
      const params = {name: "PBKDF2", hash: "SHA-512", salt: text("salt"), iterations: 9000000};
      return Response.json(await fail(crypto.subtle.deriveBits(params, key, 512)));
    """,
        RuntimeLimits(timeout=1.0),
    )
    assert out[:2] == ["OperationError", True]
    assert "deadline" in out[2] and "--timeout" in out[2]


def test_pbkdf2_iterations_have_a_hard_bound() -> None:
    out = run_js("""
      const key = await crypto.subtle.importKey("raw", text("pw"), "PBKDF2", false, ["deriveBits"]);
      const params = {name: "PBKDF2", hash: "SHA-256", salt: text("salt"), iterations: 4000000000};
      return Response.json([await fail(crypto.subtle.deriveBits(params, key, 256)),
        await fail(crypto.subtle.deriveBits({...params, iterations: 0}, key, 256))]);
    """)
    assert out[0][0] == "OperationError" and "at most 10000000" in out[0][2]
    assert out[1][0] == "OperationError"


def test_subtle_loads_lazily_and_cryptography_only_when_a_handler_needs_it() -> None:
    """A runtime that never touches crypto.subtle never loads its code (the web/crypto/*.js
    entries of the lazy table stay uncompiled) nor imports `cryptography`; digest loads the
    code but needs only hashlib."""
    script = (
        "import sys\n"
        "from tests.web.cryptojs import run_js\n"
        "run_js('return Response.json([typeof crypto.subtle.digest, crypto.randomUUID().length])')\n"
        "from zigttp.runtime.scripts import runtime_bytecode\n"
        "subtle = [s for s in runtime_bytecode()[3] if s.name.startswith('web/crypto/')]\n"
        "assert subtle and not any(s.loaded for s in subtle), 'a plain request loaded the subtle code'\n"
        "run_js('return Response.json(await crypto.subtle.digest(\"SHA-256\", new Uint8Array(1)) && 1)')\n"
        "assert all(s.loaded for s in subtle), 'digest did not load the subtle code'\n"
        "assert 'cryptography' not in sys.modules, 'digest imported cryptography'\n"
        'run_js(\'await crypto.subtle.generateKey("Ed25519", false, ["sign"]); return Response.json(1)\')\n'
        "assert 'cryptography' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
