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

from zigttp.records import field, record

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    JsonValue = Any
    Export = Callable[..., JsonValue]

# `zttp:NAME` is the original project's newer spelling of `zigttp:NAME`: the same module.
SCHEMES = ("zigttp:", "zttp:")


def module_name(specifier: str) -> str:
    """`zigttp:billing`, `zttp:billing` or `billing` → `billing`."""
    for scheme in SCHEMES:
        if specifier.startswith(scheme):
            return specifier[len(scheme) :]
    return specifier


def is_module_specifier(specifier: str) -> bool:
    return specifier.startswith(SCHEMES)


class ModuleTypeError(Exception):
    """Raised by an export for a bad argument; surfaces in JS as a TypeError."""


@record
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
      state: str                       Redis URL for cache and ratelimit (`--state`; absent: SQLite)
      state_timeout_ms: int            bound on each wait on that store (default 100)
      state_connections: int           connections per worker to it (default: the pool size)
      ratelimit_fail: "closed"|"open"  rateCheck's answer while the store is down (default closed)
    """

    state_dir: str
    clock: Callable[[], float] = time.time
    options: dict[str, Any] = field(default_factory=dict)


@record(frozen=True)
class ModuleSpec:
    name: str  # "ratelimit" for specifier "zigttp:ratelimit"
    exports: tuple[str, ...]  # export names, checked by `check` and the bundler
    create: Callable[[ModuleContext], dict[str, Export]]
    traceable: frozenset[str] = frozenset()  # exports that fixture `io` rows stub
    # Deterministic exports without I/O: `zigttp test` runs them for real where no `io` row
    # answers them (as upstream does), so a fixture need not record `validateJson` results.
    pure: frozenset[str] = frozenset()
    # Export name → JS source of a function EXPRESSION that becomes the export in place of the
    # plain shim, for exports whose arguments cannot cross into Python (e.g. JS functions).
    # Inside it, `__host` is the plain shim: it calls this module's Python function of the same
    # name (JSON in, JSON out). The bridge evaluates `(function (__host) { return (SRC); })(shim)`.
    js_wrappers: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    # True for modules whose calls may block on I/O (network, disk): a handler importing one
    # never runs on the event-loop thread (see runtime.lanes).
    blocking: bool = False
    # Decided per server instead, from its options: e.g. cache and ratelimit block on the
    # network only when their state lives in Redis (`--state`).
    blocking_when: Callable[[ModuleContext], bool] | None = field(default=None, hash=False, compare=False)

    def blocks(self, context: ModuleContext) -> bool:
        return self.blocking or (self.blocking_when is not None and self.blocking_when(context))

    # False for modules whose calls change nothing outside the call (no store, no output): an
    # inline run interrupted after calling only such modules may be run again on the pool
    # threads (see runtime.lanes). True, the safe default, for everything else.
    effects: bool = True

    @property
    def specifier(self) -> str:
        return f"zigttp:{self.name}"
