"""`zigttp.json`: per-project defaults for `serve`, `dev`, `test` and `build`.

The file is looked up in the current directory, then each parent (like git does). Keys
(camelCase, all optional; paths are relative to the file's directory):

    handler      "handler.js"            the handler when none is given on the command line
    host, port   "127.0.0.1", 8080
    static       "public"                also accepted as "staticDir" (upstream's name)
    cors         true | ["https://app.example", ...]   (a list = --cors-origin each)
    memory       "64m" | 67108864        the -m grammar
    pool         8                       -n
    workers, logFormat, metrics, quiet   as the flags of the same name
    state        "redis://cache:6379/0"  --state (Redis/Valkey for cache and ratelimit)
    stateTimeoutMs, ratelimitFail        --state-timeout-ms, --ratelimit-fail

Precedence: a flag given on the command line (or by environment) wins over zigttp.json, which
wins over the built-in default. Unknown keys or wrong types are a UsageError (exit 2) naming
the file, so a typo never silently does nothing.

`zttp.json` (the original project's newer name) is read where no zigttp.json sits in the same
directory, with upstream's `entry` as another name for `handler`. Its other upstream keys
(`sqlite` schema files, proofs, durable settings, ...) mean nothing here: they are named in
one warning on stderr and skipped, so an upstream project still runs; wrong types of the
keys we do read are errors as above.
"""

from __future__ import annotations

import os
import sys

from zigttp.errors import UsageError
from zigttp.records import record

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

FILENAME = "zigttp.json"
UPSTREAM_FILENAME = "zttp.json"
# JSON key → (option name, accepted types)
_KEYS: dict[str, tuple[str, tuple[type, ...]]] = {
    "handler": ("handler", (str,)),
    "host": ("host", (str,)),
    "port": ("port", (int,)),
    "static": ("static_dir", (str,)),
    "staticDir": ("static_dir", (str,)),
    "cors": ("cors", (bool, list)),
    "memory": ("memory", (str, int)),
    "pool": ("pool_size", (int,)),
    "workers": ("workers", (int,)),
    "logFormat": ("log_format", (str,)),
    "metrics": ("metrics", (bool,)),
    "quiet": ("quiet", (bool,)),
    "state": ("state", (str,)),
    "stateTimeoutMs": ("state_timeout_ms", (int,)),
    "ratelimitFail": ("ratelimit_fail", (str,)),
}
_UPSTREAM_KEYS = {**_KEYS, "entry": ("handler", (str,))}
_PATHS = frozenset({"handler", "static_dir"})


@record(frozen=True)
class ProjectConfig:
    path: Path
    options: dict[str, Any]  # option name → value, paths already absolute

    @property
    def root(self) -> Path:
        return self.path.parent


def find_config(start: Path | None = None) -> Path | None:
    """The nearest zigttp.json (or zttp.json) from `start` (the cwd) up. os.path, not pathlib,
    for the walk: pathlib (with urllib.parse and ipaddress) is ~9 ms of a cold start, and a
    served directory without a project file never needs it (bench/README.md)."""
    directory = os.path.realpath(start if start is not None else os.getcwd())
    while True:
        for name in (FILENAME, UPSTREAM_FILENAME):
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate):
                from pathlib import Path

                return Path(candidate)
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def load_config(path: Path) -> ProjectConfig:
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: not a readable JSON file: {exc}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path}: expected a JSON object")
    options: dict[str, Any] = {}
    upstream = path.name == UPSTREAM_FILENAME
    keys = _UPSTREAM_KEYS if upstream else _KEYS
    skipped = sorted(key for key in data if key not in keys)
    if upstream and skipped:
        sys.stderr.write(f"zigttp: {path}: ignoring keys zigttp does not use: {', '.join(skipped)}\n")
    for key, value in data.items():
        if key not in keys:
            if upstream:
                continue
            raise UsageError(f"{path}: unknown key {key!r}; accepted: {', '.join(sorted(_KEYS))}")
        name, types = keys[key]
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            wanted = " or ".join(t.__name__ for t in types)
            raise UsageError(f"{path}: {key!r} must be {wanted}, got {json.dumps(value)}")
        options.update(_convert(path, name, value))
    return ProjectConfig(path, options)


def _convert(path: Path, name: str, value: Any) -> dict[str, Any]:
    if name in _PATHS:
        return {name: str((path.parent / value).resolve())}
    if name == "memory":
        from zigttp.config import parse_size

        try:
            return {name: value if isinstance(value, int) else parse_size(value)}
        except UsageError as exc:
            raise UsageError(f"{path}: 'memory': {exc}") from None
    if name == "cors" and isinstance(value, list):
        if not all(isinstance(origin, str) for origin in value):
            raise UsageError(f"{path}: 'cors' list must hold origin strings")
        return {"cors": True, "cors_origins": tuple(value)}
    if name == "log_format" and value not in ("text", "json"):
        raise UsageError(f'{path}: \'logFormat\' must be "text" or "json"')
    if name == "ratelimit_fail" and value not in ("closed", "open"):
        raise UsageError(f'{path}: \'ratelimitFail\' must be "closed" or "open"')
    if name == "state":
        from zigttp.modules._state import parse_state_url

        try:
            parse_state_url(value)
        except UsageError as exc:
            raise UsageError(f"{path}: 'state': {exc}") from None
    return {name: value}


def project_defaults(start: Path | None = None) -> ProjectConfig | None:
    found = find_config(start)
    return load_config(found) if found is not None else None


def merge_options(
    options: dict[str, Any], explicit: set[str], project: ProjectConfig | None
) -> dict[str, Any]:
    """`options` with every value the user did not give explicitly taken from `project`."""
    if project is None:
        return options
    merged = dict(options)
    for name, value in project.options.items():
        if name in explicit or (name == "cors_origins" and "cors" in explicit):
            continue
        if name == "handler" and {"handler", "inline"} & explicit:
            continue
        if name == "handler" or name in merged:
            merged[name] = value
    return merged


def explicit_params(ctx: Any) -> set[str]:
    """Names of the click parameters the user set (command line or environment)."""
    import click

    default = click.core.ParameterSource.DEFAULT
    return {name for name in ctx.params if ctx.get_parameter_source(name) not in (default, None)}
