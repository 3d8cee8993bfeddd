"""Serve a handler in the front end's output form, for the module end-to-end tests.

The front end on main does not rewrite `import ... from "zigttp:NAME"` yet, so these tests
hand the server what it will emit: `const {f} = __zigttp_import("NAME");` plus the list of
imported modules. Everything after the front end is real: server, workers, pool, bridge.

    python e2e_launcher.py '{"code": "...", "modules": ["ratelimit"], "workers": 2,
                             "options": {"sqlite": "/tmp/app.db"}}'

`options` stand in for the module flags `serve` does not have yet (`--sqlite`, `--allow-env`,
`--outbound-host`): they are merged into the ModuleContext the server builds.
"""

from __future__ import annotations

import json
import sys
import tempfile
from typing import Any

from zigttp.config import ServerConfig
from zigttp.frontend.pipeline import CompiledHandler
from zigttp.modules import ModuleContext


def inject_module_options(options: dict[str, Any]) -> None:
    """Make the server's ModuleContext carry `options` (test seam for the missing flags)."""
    import zigttp.runtime.loading as loading

    original = loading.load_handler

    def load_with_options(*args: Any, module_context: Any = None, **kwargs: Any) -> Any:
        context = module_context or ModuleContext(state_dir=tempfile.mkdtemp(prefix="e2e-"))
        context.options.update(options)
        return original(*args, module_context=context, **kwargs)

    loading.load_handler = load_with_options  # type: ignore[assignment]


def main() -> int:
    spec = json.loads(sys.argv[1])
    options = spec.get("options", {})
    if options:
        inject_module_options({k: tuple(v) if isinstance(v, list) else v for k, v in options.items()})
    compiled = CompiledHandler(
        filename="e2e-handler.js",
        code='"use strict";' + spec["code"],
        modules=tuple(spec["modules"]),
    )
    config = ServerConfig(port=0, pool_size=spec.get("pool", 2), workers=spec.get("workers", 1), quiet=True)
    if config.workers > 1:
        from zigttp.server.supervisor import Supervisor

        return Supervisor(config, compiled).run()
    from zigttp.server.lifecycle import Server

    Server(compiled, config).serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
