"""ServerConfig: every knob of `zigttp serve` in one frozen record (zigttp/records.py).

The CLI builds one of these and hands it to the server; embedders build it directly. Nothing is
configurable from the CLI that is not here. Defaults follow the seed documents
(../shared/seeds): 1 MiB body cap, pool = cpu*2 clamped 8..128, 5 s pool wait.
"""

from __future__ import annotations

import os

from zigttp.errors import UsageError
from zigttp.records import field, fields, record, replace

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:
    from collections.abc import MutableMapping
    from typing import Literal

    from zigttp.modules import ModuleSpec

    Backend = Literal["loop", "threads"]
    Isolation = Literal["context", "request"]
    LogFormat = Literal["text", "json"]

MAX_BODY_SIZE = 1_048_576  # fixed by the seed: no flag changes it
MAX_HEADER_BYTES = 64 * 1024
MAX_RESPONSE_BYTES = 10 * 1024 * 1024
DEFAULT_PORT = 8080
DEFAULT_HOST = "127.0.0.1"

SIZE_GRAMMAR = (
    "SIZE is digits with an optional case-insensitive suffix: k/kb (x1024), m/mb (x1048576), "
    "g/gb (x1073741824); a bare number is bytes and 0 means no limit (e.g. 64k, 1m, 256mb, 1g)"
)
_SIZE_UNITS = {"": 1, "k": 1024, "kb": 1024, "m": 1 << 20, "mb": 1 << 20, "g": 1 << 30, "gb": 1 << 30}
_DIGITS = frozenset("0123456789")


# -m counts what the handler allocates above the runtime's baseline (prelude, modules): below
# this, building the request object and a small response no longer fits.
MIN_MEMORY_LIMIT = 32 * 1024


def parse_size(text: str) -> int:
    """Parse the `-m` grammar of spec §1; anything else is a UsageError naming the grammar."""
    # (string methods, not a regex: `re` is ~2 ms of a cold start, bench/README.md)
    digits = text.rstrip("kKmMgGbB")
    unit = text[len(digits) :].lower()
    if not digits or not _DIGITS.issuperset(digits) or unit not in _SIZE_UNITS:
        raise UsageError(f"invalid size {text!r}: {SIZE_GRAMMAR}")
    value = int(digits) * _SIZE_UNITS[unit]
    if value >= 1 << 63:
        raise UsageError(f"invalid size {text!r}: too large")
    return value


def default_pool_size(cpu_count: int | None = None) -> int:
    cpus = cpu_count if cpu_count is not None else (os.cpu_count() or 1)
    return max(8, min(128, cpus * 2))


MAX_DEFAULT_WORKERS = 8  # each worker holds its own pool: bound the memory a default start takes


def default_workers(cpu_count: int | None = None) -> int:
    """`zigttp serve` without `--workers`: one process per usable CPU core (at most 8), since a
    process runs its JS and its Python on one core at a time (the GIL); 1 where processes
    cannot share a port (no fork or SO_REUSEPORT). (`_socket`: `socket` and the enum it
    builds its constants with are ~4 ms of a default start, bench/README.md.)"""
    import _socket

    if not hasattr(os, "fork") or not hasattr(_socket, "SO_REUSEPORT"):
        return 1
    if cpu_count is None:
        affinity = getattr(os, "sched_getaffinity", None)
        cpu_count = len(affinity(0)) if affinity else (os.cpu_count() or 1)
        quota = cgroup_cpu_quota()
        if quota is not None:  # a container limited to 1.5 CPUs on a 64-core host gets 2
            cpu_count = min(cpu_count, quota)
    return max(1, min(MAX_DEFAULT_WORKERS, cpu_count))


def cgroup_cpu_quota(path: str = "/sys/fs/cgroup/cpu.max") -> int | None:
    """CPUs a cgroup v2 quota allows ("150000 100000" -> 2), None without a quota; containers
    (Docker --cpus, Kubernetes limits) see every host core in their affinity mask."""
    try:
        with open(path, encoding="ascii") as file:
            quota, _, period = file.read().strip().partition(" ")
    except OSError:
        return None
    if not quota.isdigit() or not period.isdigit() or int(period) == 0:
        return None  # "max": no quota
    return max(1, -(-int(quota) // int(period)))


@record(frozen=True)
class ServerConfig:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    pool_size: int = field(default_factory=default_pool_size)
    memory_limit: int = 0  # bytes per runtime; 0 = none
    timeout: float = 30.0  # per-request wall-clock deadline in seconds (the engine interrupts)
    quiet: bool = False
    backend: Backend = "loop"
    workers: int = 1
    isolation: Isolation = "context"
    pool_wait_timeout_ms: int = 5000
    pool_metrics_every: int = 0
    max_body_size: int = MAX_BODY_SIZE
    max_header_bytes: int = MAX_HEADER_BYTES
    max_response_bytes: int = MAX_RESPONSE_BYTES
    header_timeout: float = 10.0  # seconds to receive a complete request head
    body_timeout: float = 30.0  # seconds of silence allowed while a body is in flight
    keepalive_timeout: float = 5.0  # idle seconds between requests on one connection
    max_requests_per_connection: int = 0  # 0 = unlimited
    max_connections: int = 10_000
    drain_timeout: float = 10.0  # seconds SIGTERM waits for in-flight requests
    cors: bool = False
    static_dir: str | None = None
    static_cache_max_bytes: int = 2 * 1024 * 1024
    static_cache_max_file_size: int = 128 * 1024
    js_stack_size: int = 8 * 1024 * 1024  # native stack budget per runtime
    max_call_depth: int = 1024
    # operations (docs/operations.md)
    cors_origins: tuple[str, ...] = ()  # --cors-origin: echo these instead of "*" (implies cors)
    metrics: bool = False  # GET /_zigttp/metrics (Prometheus text) and /_zigttp/health
    health: bool = False  # GET /_zigttp/health alone
    log_format: LogFormat = "text"
    inline_lane: bool = True  # `zigttp dev` turns it off so pools can be swapped from any thread
    trace_file: str | None = None  # --trace: append each request as a fixture test (JSONL)
    # zigttp:* module options
    sqlite: str | None = None  # database file for zigttp:sql
    allow_env: tuple[str, ...] = ()  # env var names/globs zigttp:env may read
    outbound_hosts: tuple[str, ...] = ()  # hosts zigttp:fetch may call
    outbound_timeout_ms: int = 10_000
    # Shared state of zigttp:cache / zigttp:ratelimit (docs/operations.md "Shared state")
    state: str | None = None  # --state redis://...: Redis/Valkey for every instance; None = SQLite
    state_timeout_ms: int = 100  # bound on each wait on that store before state_unavailable
    ratelimit_fail: Literal["closed", "open"] = "closed"  # rateCheck while the store is down
    # User-defined modules: `ModuleSpec`s, `zigttp:NAME` of @zigttp.native functions declared
    # in this process, Python files or dotted module names (see zigttp/modules/_loader.py).
    modules: tuple[str | ModuleSpec, ...] = ()

    def module_options(self) -> dict[str, object]:
        """What the zigttp:* modules see of this config (ModuleContext.options)."""
        return {
            "sqlite": self.sqlite,
            "env_allow": self.allow_env,
            "outbound_hosts": self.outbound_hosts,
            "outbound_timeout_ms": self.outbound_timeout_ms,
            "state": self.state,
            "state_timeout_ms": self.state_timeout_ms,
            "state_connections": self.pool_size + 2,  # one call at a time per runtime, + spares
            "ratelimit_fail": self.ratelimit_fail,
        }

    def __post_init__(self) -> None:
        if not 0 <= self.port <= 65535:
            raise UsageError(f"invalid port {self.port}: must be 0..65535")
        if self.pool_size < 1:
            raise UsageError(f"invalid pool size {self.pool_size}: must be at least 1")
        if self.workers < 1:
            raise UsageError(f"invalid worker count {self.workers}: must be at least 1")
        if isinstance(self.modules, list):
            object.__setattr__(self, "modules", tuple(self.modules))
        if self.timeout <= 0:
            raise UsageError(f"invalid timeout {self.timeout}: must be > 0 seconds")
        if 0 < self.memory_limit < MIN_MEMORY_LIMIT:
            raise UsageError(
                f"memory limit of {self.memory_limit} bytes is too small: a request needs at least "
                f"{MIN_MEMORY_LIMIT // 1024}k above the runtime's own baseline (use -m 32k or more, "
                "or 0 for none)"
            )
        self._check_state()

    def _check_state(self) -> None:
        if self.state is not None:
            from zigttp.modules._state import parse_state_url

            object.__setattr__(self, "state", parse_state_url(self.state))
        if self.state_timeout_ms < 1:
            raise UsageError(f"invalid state timeout {self.state_timeout_ms} ms: must be >= 1")
        if self.ratelimit_fail not in ("closed", "open"):
            raise UsageError(f"invalid ratelimit_fail {self.ratelimit_fail!r}: 'closed' or 'open'")

    def with_changes(self, **changes: object) -> ServerConfig:
        return replace(self, **changes)  # type: ignore[arg-type]


_ENV_ALIASES = {"POOL": "pool_size", "MEMORY": "memory_limit"}
_SIZE_FIELDS = {
    "memory_limit",
    "max_body_size",
    "max_response_bytes",
    "static_cache_max_bytes",
    "static_cache_max_file_size",
    "js_stack_size",
}


def with_upstream_env(environ: MutableMapping[str, str]) -> MutableMapping[str, str]:
    """Copy every `ZTTP_X` (the original project's newer prefix) to `ZIGTTP_X` unless that is
    set: one place, at each entry point, so every `ZIGTTP_*` reader accepts both names."""
    for key in [k for k in environ if k.startswith("ZTTP_")]:
        environ.setdefault("ZIGTTP_" + key[5:], environ[key])
    return environ


def config_from_env(environ: dict[str, str] | None = None, **overrides: object) -> ServerConfig:
    """A ServerConfig from `ZIGTTP_<FIELD>` variables (hosts without a command line: ASGI, Lambda).

    `ZIGTTP_POOL_SIZE=4` (alias `ZIGTTP_POOL`), `ZIGTTP_MEMORY_LIMIT=64mb` (alias `ZIGTTP_MEMORY`),
    `ZIGTTP_TIMEOUT=5`, `ZIGTTP_CORS=1`, `ZIGTTP_MODULES=billing.py,myapp.tax`, `PORT=8080`...
    Explicit `overrides` win over the environment; a malformed value is a UsageError.
    """
    env = with_upstream_env(dict(os.environ if environ is None else environ))
    values: dict[str, object] = {}
    known = {f.name: f for f in fields(ServerConfig)}
    if env.get("PORT"):
        values["port"] = _env_value("port", env["PORT"], DEFAULT_PORT)
    for key, text in env.items():
        if not key.startswith("ZIGTTP_") or not text:
            continue
        name = _ENV_ALIASES.get(key[7:], key[7:].lower())
        if name in known and name not in overrides:
            default = known[name].default
            values[name] = _env_value(name, text, default)
    values.update(overrides)
    return ServerConfig(**values)  # type: ignore[arg-type]


def _env_value(name: str, text: str, default: object) -> object:
    try:
        if name in _SIZE_FIELDS:
            return parse_size(text)
        if isinstance(default, tuple):  # modules, allow_env, outbound_hosts: comma-separated
            return tuple(part.strip() for part in text.split(",") if part.strip())
        if isinstance(default, bool):
            return text.strip().lower() in ("1", "true", "yes", "on")
        if isinstance(default, int) or name == "pool_size":
            return int(text)
        if isinstance(default, float):
            return float(text)
    except ValueError:
        raise UsageError(f"invalid value {text!r} for ZIGTTP_{name.upper()}") from None
    return text
