"""The server-wide store behind stateful modules (`zigttp:ratelimit`, `zigttp:cache`).

State must be shared by every pooled runtime (threads) and every worker process of one server,
so it lives in a SQLite database in `ctx.state_dir`, which all workers of a server share:

- WAL journal: readers never block the single writer, and a commit appends to the WAL
  instead of rewriting pages; `synchronous=NORMAL` skips the per-commit fsync (the state is
  per server run, so losing the last commits on a power cut is acceptable).
- One connection per thread and per process: sqlite3 connections must not cross threads, and
  a connection inherited over `fork()` must never be reused by the child.
- Every read-modify-write is one atomic unit: a single UPSERT ... RETURNING statement, or a
  `BEGIN IMMEDIATE` transaction that takes the write lock up front (no deadlock-prone lock
  upgrade from a read transaction). `busy_timeout` makes contending writers queue.

Each module uses its own database file, so ratelimit and cache writers do not contend for the
same lock. Measured throughput is in docs/modules.md (bench/modules_store.py).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

BUSY_TIMEOUT_S = 30.0


class SharedStore:
    """A SQLite file shared by all threads and processes; `schema` is idempotent DDL."""

    def __init__(self, path: str, schema: str) -> None:
        self.path = path
        self._schema = schema
        self._local = threading.local()
        self._schema_lock = threading.Lock()
        self._schema_pid: int | None = None

    def connection(self) -> sqlite3.Connection:
        """This thread's connection (reopened after a fork)."""
        pid = os.getpid()
        if getattr(self._local, "pid", None) != pid:
            self._local.conn = self._open()
            self._local.pid = pid
        conn: sqlite3.Connection = self._local.conn
        return conn

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        _enable_wal(conn)
        conn.execute("PRAGMA synchronous=NORMAL")
        self._ensure_schema(conn)
        return conn

    def _ensure_schema(self, conn: sqlite3.Connection) -> None:
        with self._schema_lock:
            if self._schema_pid == os.getpid():
                return
            conn.executescript(f"BEGIN IMMEDIATE;\n{self._schema};\nCOMMIT;")
            self._schema_pid = os.getpid()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One atomic read-modify-write: the write lock is taken before the first read."""
        conn = self.connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        """Close this thread's connection (others close when their threads end)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.pid == os.getpid():
            conn.close()
        self._local.__dict__.clear()


def _enable_wal(conn: sqlite3.Connection) -> None:
    """Switch the file to WAL once; SQLite answers a contended switch with an immediate
    "database is locked" (the busy timeout does not apply), so back off and retry."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            (mode,) = conn.execute("PRAGMA journal_mode").fetchone()
            if str(mode).lower() != "wal":
                (mode,) = conn.execute("PRAGMA journal_mode=WAL").fetchall()[0]
            if str(mode).lower() != "wal":  # e.g. a filesystem without shared memory
                raise sqlite3.NotSupportedError(f"cannot use WAL journal (got {mode!r})")
            return
        except sqlite3.OperationalError as problem:
            if "locked" not in str(problem) or time.monotonic() > deadline:
                raise
            time.sleep(0.005)


def store_path(state_dir: str, name: str) -> str:
    os.makedirs(state_dir, exist_ok=True)
    return os.path.join(state_dir, f"{name}.sqlite3")
