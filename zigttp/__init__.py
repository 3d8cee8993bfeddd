"""zigttp: a serverless JavaScript/TypeScript runtime on a pool of isolated quickjs-ng contexts.

The public API is imported lazily so that `zigttp serve` keeps a lean import path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from zigttp.config import ServerConfig

__all__ = ["ServerConfig", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "ServerConfig":
        from zigttp.config import ServerConfig

        return ServerConfig
    raise AttributeError(f"module 'zigttp' has no attribute {name!r}")
