"""`formData()` of a multipart/form-data body: parsed by the stdlib's MIME parser (`email`)."""

from __future__ import annotations

from typing import Any

from zigttp.web import NativeError, native


@native("body.multipart")
def parse_multipart(body: bytes, content_type: str) -> list[dict[str, Any]]:
    """[{name, filename (None for a field), type, data: bytes}...] in body order."""
    from email import policy
    from email.parser import BytesParser

    if "boundary=" not in content_type.lower():
        raise NativeError("TypeError", "formData(): the multipart/form-data content-type has no boundary")
    message = BytesParser(policy=policy.HTTP).parsebytes(
        b"content-type: " + content_type.encode("latin-1", "replace") + b"\r\n\r\n" + body
    )
    if not message.is_multipart() or message.defects:
        raise NativeError("TypeError", "formData(): the body is not valid multipart/form-data")
    parts = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name is None:
            raise NativeError("TypeError", "formData(): a part has no content-disposition name")
        filename = part.get_param("filename", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        parts.append(
            {
                "name": str(name),
                "filename": None if filename is None else str(filename),
                "type": part.get_content_type() if part.get("content-type") else "",
                "data": data,
            }
        )
    return parts
