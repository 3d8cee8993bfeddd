"""The contract every `zigttp:*` virtual module follows.

A module is one file in this package that defines `MODULE = ModuleSpec(...)`. Its exports are
plain Python functions that take and return JSON values (None, bool, int, float, str, list,
dict). `create(ctx)` is called once per worker process and returns the export table, so a
module can hold process- or server-wide state (thread-safe: every pooled runtime calls in
from its own thread).

Failure convention (spec §7): expected failures are Results, `{"ok": False, "error": ...}`;
wrong argument types raise `ModuleTypeError` (a JS TypeError naming the function and argument);
any other exception is a bug in the module and becomes a JS Error for that request only.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

JsonValue = Any
Export = Callable[..., JsonValue]


class ModuleTypeError(Exception):
    """Raised by an export for a bad argument; surfaces in JS as a TypeError."""


@dataclass
class ModuleContext:
    """What a module may know about the server it runs in.

    `state_dir` is shared by every worker process of one server (for SQLite-backed shared
    state such as ratelimit counters); `clock` returns epoch seconds and is injectable for
    tests; `options` carries module flags. Keys read by the built-in modules (absent = off):

      sqlite: str                      database file for zigttp:sql (`--sqlite FILE`)
      env_allow: tuple[str, ...]       names / fnmatch globs env() may read (`--allow-env`)
      outbound_hosts: tuple[str, ...]  hosts fetch may call (globs, optional `:port`)
      outbound_timeout_ms: int         cap on one fetch (default 10000)
      cache_max_entries / cache_max_bytes: int   cache budget (default 10000 / 16 MiB)
    """

    state_dir: str
    clock: Callable[[], float] = time.time
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ModuleSpec:
    name: str  # "ratelimit" for specifier "zigttp:ratelimit"
    exports: tuple[str, ...]  # export names, checked by `check` and the bundler
    create: Callable[[ModuleContext], dict[str, Export]]
    traceable: frozenset[str] = frozenset()  # exports that fixture `io` rows stub
    # Export name → JS source of a function EXPRESSION that becomes the export in place of the
    # plain shim, for exports whose arguments cannot cross into Python (e.g. JS functions).
    # Inside it, `__host` is the plain shim: it calls this module's Python function of the same
    # name (JSON in, JSON out). The bridge evaluates `(function (__host) { return (SRC); })(shim)`.
    js_wrappers: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    # True for modules whose calls may block on I/O (network, disk): a handler importing one
    # never runs on the event-loop thread (see runtime.lanes).
    blocking: bool = False
    # False for modules whose calls change nothing outside the call (no store, no output): an
    # inline run interrupted after calling only such modules may be run again on the pool
    # threads (see runtime.lanes). True, the safe default, for everything else.
    effects: bool = True

    @property
    def specifier(self) -> str:
        return f"zigttp:{self.name}"
