"""Serve a handler in the front end's output form, for the module end-to-end tests.

The front end on main does not rewrite `import ... from "zigttp:NAME"` yet, so these tests
hand the server what it will emit: `const {f} = __zigttp_import("NAME");` plus the list of
imported modules. Everything after the front end is real: server, workers, pool, bridge.

    python e2e_launcher.py '{"code": "...", "modules": ["ratelimit"], "workers": 2}'
"""

from __future__ import annotations

import json
import sys

from zigttp.config import ServerConfig
from zigttp.frontend.pipeline import CompiledHandler


def main() -> int:
    spec = json.loads(sys.argv[1])
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
