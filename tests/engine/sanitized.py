"""`pytest -p tests.engine.sanitized`: run tests against the extension at $ZIGTTP_ENGINE_SO.

native/sanitize.sh builds the AddressSanitizer + UBSan extension into build/sanitize/ and
runs pytest with this plugin. Plugins named with -p are imported before any conftest or
test module, so the sanitized module is in sys.modules before anything imports
`zigttp.runtime._engine`, and the whole package (engine.py, the pool) runs on it.
"""

from __future__ import annotations

import importlib.util
import os
import sys


def _load(path: str) -> None:
    spec = importlib.util.spec_from_file_location("zigttp.runtime._engine", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load the engine extension from {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)


_load(os.environ["ZIGTTP_ENGINE_SO"])
