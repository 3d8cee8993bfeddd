"""What `zigttp:sql` lets a statement do: confined to the `--sqlite` file and the request's time.

Handlers register their own SQL, but it often carries client input (a LIKE pattern, a JSON
path) and a handler bug must not reach the host's filesystem. So every connection gets:

- an authorizer (checked when a statement is prepared) denying ATTACH of any named file and
  DETACH (so also `VACUUM INTO 'file'`, which attaches its target; plain VACUUM attaches an
  unnamed temporary database and stays allowed), `load_extension()`, and the PRAGMAs that
  name or move files or unlock the schema. Everything else on the one database file is allowed;
- limits: strings/BLOBs up to `MAX_VALUE_BYTES`, statements up to
  `MAX_SQL_BYTES`;
- a progress handler that interrupts a statement once the running request's deadline
  (`zigttp.deadline`, the handler's `--timeout`) passes, or `STATEMENT_CAP_S` outside a request:
  a runaway recursive CTE ends instead of holding its slot forever.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

from zigttp import deadline

MAX_VALUE_BYTES = 16 * 1024 * 1024  # SQLITE_LIMIT_LENGTH: zeroblob(1e9) would take 1 GB
MAX_SQL_BYTES = 1024 * 1024  # SQLITE_LIMIT_SQL_LENGTH
STATEMENT_CAP_S = 30.0  # outside a request (top-level code), the same as the default --timeout
PROGRESS_EVERY = 10_000  # VM instructions between deadline checks (~0.1 ms each)
DENIED_FUNCTIONS = frozenset({"load_extension"})
DENIED_PRAGMAS = frozenset(
    {
        "temp_store_directory",
        "data_store_directory",  # move temp/data files anywhere
        "writable_schema",
        "trusted_schema",  # hand-edited schema: corrupts or escapes the checks
        "mmap_size",  # maps the file into the process beyond the page cache budget
    }
)


class Denied(sqlite3.DatabaseError):
    """A statement the authorizer refused; `str()` says what and why."""


class Guard:
    """The authorizer and progress handler of one connection (used on its one thread)."""

    def __init__(self) -> None:
        self.denied: str | None = None
        self.stop_at = 0.0

    def authorize(
        self, action: int, arg1: str | None, arg2: str | None, _db: str | None, _trigger: str | None
    ) -> int:
        reason = _denial(action, arg1, arg2)
        if reason is None:
            return sqlite3.SQLITE_OK
        self.denied = reason
        return sqlite3.SQLITE_DENY

    def progress(self) -> int:
        return 1 if time.monotonic() > self.stop_at else 0

    def run(self, step: Callable[[], object]) -> object:
        """`step()` (execute + fetch) within the deadline; a denial becomes `Denied`."""
        self.denied = None
        self.stop_at = time.monotonic() + deadline.remaining(STATEMENT_CAP_S)
        try:
            return step()
        except sqlite3.DatabaseError as problem:
            if self.denied is not None:
                raise Denied(self.denied) from None
            raise problem


def _denial(action: int, arg1: str | None, arg2: str | None) -> str | None:
    if action == sqlite3.SQLITE_ATTACH and arg1 == "":
        return None  # a private temporary database (plain VACUUM attaches one): no path
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return "ATTACH, DETACH and VACUUM INTO are not allowed: zigttp:sql only reaches the --sqlite database"
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in DENIED_FUNCTIONS:
        return f"{arg2}() is not allowed in zigttp:sql"
    if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() in DENIED_PRAGMAS:
        return f"PRAGMA {arg1} is not allowed in zigttp:sql (it touches files or the schema)"
    return None


def confine(conn: sqlite3.Connection) -> Guard:
    """Install the guard on a fresh connection."""
    guard = Guard()
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, MAX_SQL_BYTES)
    conn.set_authorizer(guard.authorize)
    conn.set_progress_handler(guard.progress, PROGRESS_EVERY)
    return guard
