"""Facts about the runtime itself the web API reports (navigator.userAgent)."""

from __future__ import annotations

from zigttp import __version__
from zigttp.web import native


@native("platform.version")
def version() -> str:
    return __version__
