"""Embed zigttp in a Python program: serve handler.ts with the Python `zigttp:billing` module.

    python examples/embed/main.py            # serve on http://127.0.0.1:8080 until Ctrl-C
    python examples/embed/main.py --demo     # start on a free port, make two requests, stop
"""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path

import zigttp

HERE = Path(__file__).resolve().parent


def make_server(port: int) -> zigttp.Server:
    config = zigttp.ServerConfig(port=port, pool_size=2, modules=(str(HERE / "billing.py"),))
    return zigttp.Server(HERE / "handler.ts", config)


def demo() -> None:
    server = make_server(port=0)
    port = server.start()  # returns once the pool is warm; port 0 → the port picked
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/quote?plan=pro&seats=3") as reply:
            print(reply.status, reply.read().decode())
        order = json.dumps({"customer": "ada", "plan": "basic", "seats": 2}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/orders", data=order, method="POST")
        with urllib.request.urlopen(request) as reply:
            print(reply.status, reply.read().decode())
    finally:
        server.stop()


if __name__ == "__main__":
    if "--demo" in sys.argv:
        demo()
    else:
        make_server(port=8080).serve_forever()
