"""fetch() of a `data:` URL: the Fetch standard's data: URL processor, on the host.

Nothing leaves the process, so no `--outbound-host` applies. Kept out of JS because a web
file's bytecode is evaluated in every runtime's build (this code runs only when used).
"""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import unquote_to_bytes

from zigttp.web import NativeError, native

_BASE64 = re.compile(r";[\t\n\f\r ]*base64[\t\n\f\r ]*$", re.I)
_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_MIME = re.compile(rf"^{_TOKEN}/{_TOKEN}\s*(;.*)?$", re.S)
_ASCII_WHITESPACE = re.compile(r"[\t\n\f\r ]")
_DEFAULT = "text/plain;charset=US-ASCII"


def _forgiving_base64(data: bytes) -> bytes:
    """HTML's forgiving-base64 decode (what atob() accepts), or a TypeError."""
    text = _ASCII_WHITESPACE.sub("", data.decode("latin-1"))
    if len(text) % 4 == 0 and text.endswith("="):
        text = text[:-2] if text.endswith("==") else text[:-1]
    if len(text) % 4 == 1 or not re.fullmatch(r"[A-Za-z0-9+/]*", text):
        raise NativeError("TypeError", "fetch: the data: URL's base64 is invalid")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise NativeError("TypeError", "fetch: the data: URL's base64 is invalid") from None


@native("data.fetch")
def fetch_data(url: str) -> list[str | bytes]:
    """[MIME type, body bytes] of a serialized data: URL, or a TypeError when it has no comma."""
    rest = url[len("data:") :].split("#", 1)[0]
    mime, comma, payload = rest.partition(",")
    if not comma:
        raise NativeError("TypeError", f"fetch: {url[:60]!r} is not a valid data: URL (it has no comma)")
    mime = mime.strip("\t\n\f\r ")
    body = unquote_to_bytes(payload)
    if _BASE64.search(mime):
        mime = mime[: mime.rindex(";")]
        body = _forgiving_base64(body)
    if mime.startswith(";"):
        mime = "text/plain" + mime
    mime = mime.rstrip("\t\n\f\r ")  # (what parsing and serializing the MIME type drops)
    return [mime if _MIME.match(mime) else _DEFAULT, body]
