"""Every option of `zigttp serve` and `zigttp lambda`, as data: the one definition click and
the lean entry share.

Why data and not click decorators: `import click` is ~100 M instructions of a ~450 M start
(bench/README.md, item 3), and a plain `zigttp serve handler.ts -p 8080` needs none of it.
`cli.py` turns each `Opt` into a `click.option` (help, errors, `--help` output); `entry.py`
parses the common command lines from the same table without click and hands anything it
does not recognise (help, a bad value, an unknown flag) to click, so the messages stay click's.
"""

from __future__ import annotations

from zigttp.records import record

TYPE_CHECKING = False  # (typing stays off the start path: bench/README.md)
if TYPE_CHECKING:
    from typing import Any


@record(frozen=True)
class Opt:
    """One option. `kind`: int, float, str, size (64k, 1m), choice, flag, file, dir (paths)."""

    flags: tuple[str, ...]
    name: str
    kind: str
    default: Any = None
    help: str = ""
    envvar: str | None = None
    low: float | None = None  # int/float range, inclusive unless `low_open`
    high: float | None = None
    low_open: bool = False
    choices: tuple[str, ...] = ()
    multiple: bool = False
    show_default: bool = False
    metavar: str | None = None


HANDLER_ENV = "ZIGTTP_HANDLER"  # the HANDLER argument's environment variable

SERVE_OPTIONS: tuple[Opt, ...] = (
    Opt(("-p", "--port"), "port", "int", 8080, "Port to listen on (0 picks a free port; env PORT).",
        envvar="PORT", low=0, high=65535, show_default=True),
    Opt(("-h", "--host"), "host", "str", "127.0.0.1", "Address to bind.", show_default=True),
    Opt(("-e", "--eval"), "inline", "str", None, "Serve inline JavaScript code.", metavar="CODE"),
    Opt(("-m", "--memory"), "memory", "size", "0",
        "Per-runtime JS memory ceiling: 64k, 1m, 256mb, 1g; bare number = bytes; 0 = no limit."),
    Opt(("-n", "--pool"), "pool_size", "int", 0,
        "Number of isolated runtimes (default: cpu*2 clamped to 8..128).", low=0),
    Opt(("-q", "--quiet"), "quiet", "flag", False, "No request log."),
    Opt(("--timeout",), "timeout", "float", 30.0,
        "Per-request time budget in seconds (wall clock); a worker whose event loop "
        "stalls for longer than this + 1 s is replaced.", low=0, low_open=True, show_default=True),
    Opt(("--backend",), "backend", "choice", "loop", "Event-loop (uvloop) or thread-per-connection server.",
        choices=("loop", "threads"), show_default=True),
    Opt(("-w", "--workers"), "workers", "int", None,
        "Worker processes sharing the port (SO_REUSEPORT; default: one per CPU core, "
        "at most 8; env ZIGTTP_WORKERS).", envvar="ZIGTTP_WORKERS", low=1),
    Opt(("--isolation",), "isolation", "choice", "context",
        "'request' gives every request a fresh runtime (multi-tenant use).",
        choices=("context", "request"), show_default=True),
    Opt(("--pool-wait-timeout-ms",), "pool_wait_timeout_ms", "int", 5000,
        "How long a request waits for a free runtime before 503.", low=0, show_default=True),
    Opt(("--header-timeout",), "header_timeout", "float", 10.0,
        "Seconds for a request head to arrive (else 408).", low=0, low_open=True, show_default=True),
    Opt(("--body-timeout",), "body_timeout", "float", 30.0,
        "Seconds a request body may stall (else 408).", low=0, low_open=True, show_default=True),
    Opt(("--keepalive-timeout",), "keepalive_timeout", "float", 5.0,
        "Seconds an idle keep-alive connection stays open.", low=0, low_open=True, show_default=True),
    Opt(("--drain-timeout",), "drain_timeout", "float", 10.0,
        "Seconds SIGTERM waits for in-flight requests; a worker still there after it (+1 s) is killed.",
        low=0, show_default=True),
    Opt(("--sqlite",), "sqlite", "file", None, "SQLite database file for zigttp:sql."),
    Opt(("--allow-env",), "allow_env", "str", (),
        "Environment variable (or glob) zigttp:env may read; repeatable.", multiple=True, metavar="NAME"),
    Opt(("--outbound-host",), "outbound_hosts", "str", (), "Host zigttp:fetch may call; repeatable.",
        multiple=True, metavar="HOST"),
    Opt(("--outbound-timeout-ms",), "outbound_timeout_ms", "int", 10_000, "Timeout for zigttp:fetch calls.",
        low=1, show_default=True),
    Opt(("--state",), "state", "str", None,
        "Keep zigttp:cache and zigttp:ratelimit state in Redis/Valkey, shared by every "
        "instance: redis://[user:pass@]HOST:PORT/DB, rediss:// (TLS), unix:///PATH "
        "(env ZIGTTP_STATE; default: embedded SQLite, per server).", envvar="ZIGTTP_STATE", metavar="URL"),
    Opt(("--state-timeout-ms",), "state_timeout_ms", "int", 100,
        "Longest wait on the --state store before a call returns state_unavailable.", low=1,
        show_default=True),
    Opt(("--ratelimit-fail",), "ratelimit_fail", "choice", "closed",
        "rateCheck while the --state store is down: refuse (closed) or allow (open).",
        choices=("closed", "open"), show_default=True),
    Opt(("--metrics-every",), "pool_metrics_every", "int", 0,
        "Log a pool metrics line every N requests (0 = off).", low=0),
    Opt(("--max-connections",), "max_connections", "int", 10_000,
        "Open connections per worker; more are answered 503 and closed.", low=1, show_default=True),
    Opt(("--module",), "modules", "str", (),
        "Load user-defined zigttp:* modules (@zigttp.native functions); repeatable.",
        multiple=True, metavar="FILE.py|MODULE"),
    Opt(("--cors",), "cors", "flag", False, "CORS headers on every response; answer OPTIONS preflight."),
    Opt(("--cors-origin",), "cors_origins", "str", (),
        "Allow only this origin (repeatable; echoed with Vary: Origin). Implies --cors.",
        multiple=True, metavar="URL"),
    Opt(("--static",), "static_dir", "dir", None,
        "Serve files from DIR (at /path and /static/path) before the handler.", metavar="DIR"),
    Opt(("--static-cache-max-bytes",), "static_cache_max_bytes", "size", "2m",
        "Byte bound of the static-file LRU cache.", show_default=True),
    Opt(("--static-cache-max-file-size",), "static_cache_max_file_size", "size", "128k",
        "Largest file the cache holds; bigger files are streamed with sendfile.", show_default=True),
    Opt(("--metrics",), "metrics", "flag", False,
        "Serve GET /_zigttp/metrics (Prometheus text) and GET /_zigttp/health."),
    Opt(("--health",), "health", "flag", False, "Serve GET /_zigttp/health (200 once the pool is warm)."),
    Opt(("--log-format",), "log_format", "choice", "text", "Request/console log lines as text or JSON lines.",
        choices=("text", "json"), show_default=True),
    Opt(("--trace",), "trace_file", "file", None,
        "Record every request, module call and response to FILE as test fixtures."),
    Opt(("--replay",), "replay", "file", None,
        "Run FILE (a trace or fixture) against HANDLER as tests and exit "
        "(same as `zigttp test FILE HANDLER`)."),
)  # fmt: skip

LAMBDA_OPTIONS: tuple[Opt, ...] = (  # (None: not given; lambda_config fills in ZIGTTP_* and defaults)
    Opt(("-e", "--eval"), "inline", "str", None, "Serve inline JavaScript code.", metavar="CODE"),
    Opt(("-m", "--memory"), "memory_limit", "size", None, "Per-runtime JS memory ceiling (as for serve)."),
    Opt(("-n", "--pool"), "pool_size", "int", None,
        "Runtimes in the pool (default 1: Lambda sends one event at a time).", low=1),
    Opt(("--timeout",), "timeout", "float", None, "Per-request time budget in seconds (wall clock).",
        low=0, low_open=True),
    Opt(("-q", "--quiet"), "quiet", "flag", None, "No request log."),
    Opt(("--module",), "modules", "str", (), "Load user-defined zigttp:* modules; repeatable.",
        multiple=True, metavar="FILE.py|MODULE"),
)  # fmt: skip
