"""Where the peer runtimes are (node, deno and bun on PATH, or installed into a clone by
bench/install-peers.sh) and where the benchmark sources are: `ASSETS`, package data, so
`zigttp bench` works from any install, not only from an editable one in a clone."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "assets"  # engine/, handlers/, peers/, wrk/
ROOT = Path(__file__).resolve().parents[2]  # the clone, when zigttp runs from one
LOCAL_BIN = ROOT / "bench" / ".peers" / "node_modules" / ".bin"


def find(name: str) -> str | None:
    local = LOCAL_BIN / name
    if local.exists():
        return str(local)
    return shutil.which(name)


def available() -> dict[str, str]:
    """Peer name → executable, for the peers present on this machine."""
    return {name: path for name in ("node", "deno", "bun") if (path := find(name))}


def server_command(peer: str, executable: str, port: int) -> list[str]:
    script = str(ASSETS / "peers" / f"{peer}_server.js")
    if peer == "deno":
        return [executable, "run", "--allow-net", "--allow-read", script, str(port)]
    return [executable, script, str(port)]


def harness_command(peer: str, executable: str, script: Path, iterations: int) -> list[str]:
    harness = str(ASSETS / "engine" / "harness.js")
    if peer == "deno":
        return [executable, "run", "--allow-read", harness, str(script), str(iterations)]
    return [executable, harness, str(script), str(iterations)]


def server_env(**extra: str) -> dict[str, str]:
    """The environment of a measured server: as on a user's machine, Python may cache bytecode
    (a sandbox's PYTHONDONTWRITEBYTECODE would make every cold start recompile every module)."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return {**env, **extra}


def zigttp_command(*args: str) -> list[str]:
    """What a user types: the installed `zigttp` script beside this interpreter (`python -m
    zigttp` adds runpy and importlib.util to every start, ~5 ms of a cold start), else `-m`."""
    script = Path(sys.executable).with_name("zigttp")
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-m", "zigttp", *args]


def zigttp_serve(handler: str, port: int, *flags: str) -> list[str]:
    return zigttp_command("serve", "-q", handler, "-p", str(port), *flags)
