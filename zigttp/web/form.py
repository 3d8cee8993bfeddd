"""Body.formData()'s multipart/form-data parser (the `multipart` package); the
application/x-www-form-urlencoded one is URLSearchParams' (runtime/js/web/50-url.js).

`multipart` (defnull/multipart, pure Python, no dependencies) has a sans-I/O push parser
that is strict about boundaries and header syntax and bounds header sizes and counts: the
body is already in memory (size-capped by the server), so it is fed in one call. The JS
side (runtime/js/web/formdata.js, `hooks.webForm.parse`) turns the entries into a FormData.
Entries cross as [name, value] (a text field) or [name, value, filename, type] (a file).
"""

from __future__ import annotations

from zigttp.web import NativeError, native

Entry = list[str | bytes]
MAX_PARTS = 10_000  # a body of empty parts cannot make the handler build millions of entries


def _type_error(message: str) -> NativeError:
    return NativeError("TypeError", f"formData(): {message}")


@native("form.multipart")
def parse_multipart(content_type: str, body: bytes) -> list[Entry]:
    import multipart

    _, options = multipart.parse_options_header(content_type)
    boundary = options.get("boundary")
    if not boundary:
        raise _type_error("the multipart/form-data Content-Type has no boundary parameter")
    entries: list[Entry] = []
    try:
        with multipart.PushMultipartParser(
            boundary, content_length=len(body), max_segment_count=MAX_PARTS, strict=True
        ) as parser:
            _collect(parser, body, entries)
    except multipart.MultipartError as exc:
        raise _type_error(f"malformed multipart/form-data body: {exc}") from None
    return entries


def _collect(parser: object, body: bytes, entries: list[Entry]) -> None:
    import multipart

    segment, chunks = None, []
    for event in [*parser.parse(body), *parser.parse(b"")]:  # type: ignore[attr-defined]
        if isinstance(event, multipart.MultipartSegment):
            segment, chunks = event, []
        elif event is None and segment is not None:
            data = b"".join(chunks)
            if segment.filename is None:
                entries.append([segment.name, data.decode("utf-8", "replace")])
            else:
                entries.append(
                    [segment.name, data, segment.filename, segment.content_type or "application/octet-stream"]
                )
            segment = None
        elif isinstance(event, bytes | bytearray):
            chunks.append(bytes(event))
