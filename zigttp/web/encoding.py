"""TextDecoder's host side: WHATWG encoding labels and Python's codecs for what is not UTF-8.

UTF-8 without `fatal` decodes in C (hooks.utf8Decode); everything else lands here:
`fatal` UTF-8 (Python's strict decoder rejects exactly what WHATWG calls errors), UTF-16 and
the legacy encodings (Python's codecs, the nearest well-kept implementation; where its
tables differ from WHATWG's, docs/web-api.md and the WPT baseline say so).
"""

from __future__ import annotations

import codecs
import functools

from zigttp.web import NativeError, native

# WHATWG Encoding Standard: canonical name → its labels (encodings.json), and the Python
# codec for it. "replacement" and "x-user-defined" have no codec (handled below).
_ENCODINGS: dict[str, tuple[str, str]] = {
    "UTF-8": ("utf-8", "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8"),
    "IBM866": ("cp866", "866 cp866 csibm866 ibm866"),
    "ISO-8859-2": (
        "iso8859_2",
        "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 l2 latin2",
    ),
    "ISO-8859-3": (
        "iso8859_3",
        "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 iso_8859-3:1988 l3 latin3",
    ),
    "ISO-8859-4": (
        "iso8859_4",
        "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988 l4 latin4",
    ),
    "ISO-8859-5": (
        "iso8859_5",
        "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5 iso_8859-5:1988",
    ),
    "ISO-8859-6": (
        "iso8859_6",
        "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6 iso-8859-6-e "
        "iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987",
    ),
    "ISO-8859-7": (
        "iso8859_7",
        "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 iso8859-7 iso88597 "
        "iso_8859-7 iso_8859-7:1987 sun_eu_greek",
    ),
    "ISO-8859-8": (
        "iso8859_8",
        "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 iso8859-8 iso88598 "
        "iso_8859-8 iso_8859-8:1988 visual",
    ),
    "ISO-8859-8-I": ("iso8859_8", "csiso88598i iso-8859-8-i logical"),
    "ISO-8859-10": ("iso8859_10", "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6"),
    "ISO-8859-13": ("iso8859_13", "iso-8859-13 iso8859-13 iso885913"),
    "ISO-8859-14": ("iso8859_14", "iso-8859-14 iso8859-14 iso885914"),
    "ISO-8859-15": ("iso8859_15", "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9"),
    "ISO-8859-16": ("iso8859_16", "iso-8859-16"),
    "KOI8-R": ("koi8_r", "cskoi8r koi koi8 koi8-r koi8_r"),
    "KOI8-U": ("koi8_u", "koi8-ru koi8-u"),
    "macintosh": ("mac_roman", "csmacintosh mac macintosh x-mac-roman"),
    "windows-874": ("cp874", "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874"),
    "windows-1250": ("cp1250", "cp1250 windows-1250 x-cp1250"),
    "windows-1251": ("cp1251", "cp1251 windows-1251 x-cp1251"),
    "windows-1252": (
        "cp1252",
        "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 "
        "iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252",
    ),
    "windows-1253": ("cp1253", "cp1253 windows-1253 x-cp1253"),
    "windows-1254": (
        "cp1254",
        "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 iso_8859-9:1989 "
        "l5 latin5 windows-1254 x-cp1254",
    ),
    "windows-1255": ("cp1255", "cp1255 windows-1255 x-cp1255"),
    "windows-1256": ("cp1256", "cp1256 windows-1256 x-cp1256"),
    "windows-1257": ("cp1257", "cp1257 windows-1257 x-cp1257"),
    "windows-1258": ("cp1258", "cp1258 windows-1258 x-cp1258"),
    "x-mac-cyrillic": ("mac_cyrillic", "x-mac-cyrillic x-mac-ukrainian"),
    "GBK": ("gbk", "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk"),
    "gb18030": ("gb18030", "gb18030"),
    "Big5": ("big5hkscs", "big5 big5-hkscs cn-big5 csbig5 x-x-big5"),
    "EUC-JP": ("euc_jp", "cseucpkdfmtjapanese euc-jp x-euc-jp"),
    "ISO-2022-JP": ("iso2022_jp", "csiso2022jp iso-2022-jp"),
    "Shift_JIS": ("shift_jis", "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis"),
    "EUC-KR": (
        "cp949",
        "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 ksc5601 "
        "ksc_5601 windows-949",
    ),
    "replacement": ("", "csiso2022kr hz-gb-2312 iso-2022-cn iso-2022-cn-ext iso-2022-kr replacement"),
    "UTF-16BE": ("utf-16-be", "unicodefffe utf-16be"),
    "UTF-16LE": ("utf-16-le", "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le"),
    "x-user-defined": ("", "x-user-defined"),
}
_LABELS = {label: name for name, (_codec, labels) in _ENCODINGS.items() for label in labels.split()}
_WHITESPACE = "\t\n\f\r "
_SINGLE_BYTE = frozenset(
    name for name in _ENCODINGS if name.startswith(("IBM", "ISO-8859", "KOI8", "windows-", "mac", "x-mac"))
)
# Where WHATWG's index differs from Python's codec beyond the C1 rule (_single_byte_table):
# its KOI8-U is KOI8-RU, and its windows-1255 has U+05BA at 0xCA.
_PATCHES = {"KOI8-U": {0xAE: "\u045e", 0xBE: "\u040e"}, "windows-1255": {0xCA: "\u05ba"}}
_UNMAPPED = "\ufffe"  # what codecs.charmap_decode reads as "no code point here"


@native("encoding.label")
def label(text: str) -> str | None:
    """The canonical name for a label (ASCII whitespace trimmed, case-insensitive), or None."""
    return _LABELS.get(text.strip(_WHITESPACE).lower())


@native("encoding.decode")
def decode(name: str, data: bytes, fatal: bool, stream: bool) -> list[str | bytes]:
    """[text, leftover bytes]: `leftover` is an incomplete sequence at the end when `stream`."""
    if name == "replacement":
        if not data:
            return ["", b""]
        if fatal:
            raise NativeError(
                "TypeError", "TextDecoder: the replacement encoding decodes every input as an error"
            )
        return ["\ufffd", b""]
    if name == "x-user-defined":
        return ["".join(chr(b) if b < 0x80 else chr(0xF780 + b - 0x80) for b in data), b""]
    if name in _SINGLE_BYTE:
        return [_decode_single_byte(name, data, fatal), b""]
    errors = "strict" if fatal else ("zigttp-big5" if name == "Big5" else "replace")
    decoder = codecs.getincrementaldecoder(_ENCODINGS[name][0])(errors)
    try:
        text = decoder.decode(data, final=not stream)
    except UnicodeDecodeError as exc:
        raise NativeError(
            "TypeError", f"TextDecoder: the data is not valid {name} (byte {exc.start}: {exc.reason})"
        ) from None
    pending = decoder.getstate()[0] if stream else b""
    return [text, pending if isinstance(pending, bytes) else b""]


@functools.cache
def _single_byte_table(name: str) -> str:
    """WHATWG's index of a single-byte encoding as a charmap decoding table, from Python's
    codec: the windows-* codecs leave the bytes 0x80-0x9F they do not define undecodable,
    where WHATWG maps each to the C1 control of the same value; _PATCHES covers the rest."""
    codec, patches = _ENCODINGS[name][0], _PATCHES.get(name, {})
    table = []
    for byte in range(256):
        try:
            char = bytes([byte]).decode(codec)
        except UnicodeDecodeError:
            char = chr(byte) if name.startswith("windows-") and 0x80 <= byte <= 0x9F else _UNMAPPED
        table.append(patches.get(byte, char))
    return "".join(table)


def _decode_single_byte(name: str, data: bytes, fatal: bool) -> str:
    try:
        return codecs.charmap_decode(data, "strict" if fatal else "replace", _single_byte_table(name))[0]
    except UnicodeDecodeError as exc:
        raise NativeError(
            "TypeError", f"TextDecoder: the data is not valid {name} (byte {exc.start} has no code point)"
        ) from None


def _big5_errors(exc: UnicodeError) -> tuple[str, int]:
    """WHATWG's Big5 decoder: an unmapped lead/trail pair is one U+FFFD (both bytes consumed)
    unless the trail byte is ASCII, which is then decoded on its own; Python's codec would
    restart at the trail byte."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    data, start = exc.object, exc.start
    lead = 0x81 <= data[start] <= 0xFE
    if lead and start + 1 < len(data) and data[start + 1] >= 0x80:
        return "\ufffd", start + 2
    return "\ufffd", start + 1


codecs.register_error("zigttp-big5", _big5_errors)
