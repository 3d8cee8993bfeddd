"""`zigttp:sql`: named SQLite statements with bound `:name` parameters.

`sql(name, statement)` registers a statement (at module top level; re-registering a name
replaces it, so a reloaded handler may change its SQL). `sqlOne`/`sqlMany`/`sqlExec(name,
params?)` run it with `params` BOUND by sqlite3 — values are never formatted into SQL, so an
injection attempt stays data. Parameter values may be string, number, boolean (→ 1/0) or null.

Divergence from upstream (which threw): query outcomes are Results, per the module convention,
so a handler can tell "no database" from "no row":
  sqlOne  → {ok: true, value: row | null}     sqlMany → {ok: true, value: row[]}
  sqlExec → {ok: true, value: {rowsAffected, lastInsertRowId?}}
  failure → {ok: false, error: {tag, message}} with tag "not_configured" (no `--sqlite FILE`),
            "unknown_query", "constraint" (UNIQUE/NOT NULL/CHECK/FK), "not_allowed" (ATTACH,
            VACUUM INTO, load_extension, file PRAGMAs: see _sql_guard.py), "timeout" (past the
            request's deadline), or "sql_error".
Wrong argument types raise a TypeError. `sqlOne`/`sqlMany` run on a read-only connection,
so a write statement registered for reading fails instead of writing. BLOB columns come back
as base64 text. Connections are per thread; the database path is `ctx.options["sqlite"]`.
"""

from __future__ import annotations

import base64
import os
import re
import sqlite3
import threading
from typing import Any
from urllib.parse import quote

from zigttp.modules._result import Result, bad_arg, err, is_number, ok, want_str
from zigttp.modules._spec import ModuleContext, ModuleSpec
from zigttp.modules._sql_guard import Denied, Guard, confine

BUSY_TIMEOUT_S = 5.0
# INSERT/REPLACE, possibly after comments or a WITH clause: only these set lastInsertRowId.
# A scan, not one regex: the old pattern backtracked exponentially over repeated comments.
_FIRST_WORD = re.compile(r"[A-Za-z]+")
_INSERT_WORD = re.compile(r"\b(?:INSERT|REPLACE)\b", re.IGNORECASE)


def _code_start(statement: str) -> int:
    """Index of the first character after leading whitespace and comments (linear)."""
    at, end = 0, len(statement)
    while at < end:
        if statement[at].isspace():
            at += 1
        elif statement.startswith("--", at):
            newline = statement.find("\n", at)
            at = end if newline < 0 else newline + 1
        elif statement.startswith("/*", at):
            close = statement.find("*/", at + 2)
            at = end if close < 0 else close + 2
        else:
            break
    return at


def is_insert(statement: str) -> bool:
    start = _code_start(statement)
    word = _FIRST_WORD.match(statement, start)
    keyword = word.group().upper() if word else ""
    if keyword == "WITH":
        return _INSERT_WORD.search(statement, word.end()) is not None  # type: ignore[union-attr]
    return keyword in ("INSERT", "REPLACE")


class Database:
    """Per-thread read-write and read-only connections to one SQLite file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._local = threading.local()

    def _connect(self, readonly: bool) -> tuple[sqlite3.Connection, Guard]:
        key = ("ro" if readonly else "rw", os.getpid())
        found: tuple[sqlite3.Connection, Guard] | None = getattr(self._local, "conns", {}).get(key)
        if found is None:
            if readonly:
                self._connect(readonly=False)  # creates the file if it does not exist yet
                target, uri = f"file:{quote(os.path.abspath(self.path))}?mode=ro", True
            else:
                target, uri = self.path, False
            conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_S, isolation_level=None, uri=uri)
            found = (conn, confine(conn))
            if not hasattr(self._local, "conns"):
                self._local.conns = {}
            self._local.conns[key] = found
        return found

    def query(self, statement: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        conn, guard = self._connect(readonly=True)

        def step() -> list[dict[str, Any]]:
            cursor = conn.execute(statement, params)
            columns = [column[0] for column in cursor.description or ()]
            return [dict(zip(columns, map(_cell, row), strict=True)) for row in cursor.fetchall()]

        return guard.run(step)  # type: ignore[return-value]

    def execute(self, statement: str, params: dict[str, Any]) -> dict[str, Any]:
        conn, guard = self._connect(readonly=False)

        def step() -> dict[str, Any]:
            cursor = conn.execute(statement, params)
            cursor.fetchall()  # finish the statement (INSERT ... RETURNING) so it commits
            result: dict[str, Any] = {"rowsAffected": max(cursor.rowcount, 0)}
            if cursor.lastrowid and cursor.rowcount > 0 and is_insert(statement):
                result["lastInsertRowId"] = cursor.lastrowid  # SQLite keeps it across statements
            return result

        return guard.run(step)  # type: ignore[return-value]


def _cell(value: Any) -> Any:
    return base64.b64encode(value).decode("ascii") if isinstance(value, bytes) else value


def _params(fn: str, params: Any) -> dict[str, Any]:
    if params is None:
        return {}
    if not isinstance(params, dict):
        raise bad_arg(fn, "params", "an object of named parameters")
    bound: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, bool):
            value = int(value)
        elif isinstance(value, int) and abs(value) >= 2**63:
            value = float(value)  # beyond SQLite INTEGER; JS held it as a double anyway
        elif not (value is None or isinstance(value, str) or is_number(value)):
            raise bad_arg(fn, f"params.{key}", "a string, number, boolean or null")
        bound[key] = value
    return bound


def _failure(problem: sqlite3.Error) -> Result:
    if isinstance(problem, Denied):
        return err({"tag": "not_allowed", "message": str(problem)})
    if isinstance(problem, sqlite3.OperationalError) and str(problem) == "interrupted":
        message = "the statement ran past the request's deadline (--timeout) and was interrupted"
        return err({"tag": "timeout", "message": message})
    tag = "constraint" if isinstance(problem, sqlite3.IntegrityError) else "sql_error"
    return err({"tag": tag, "message": str(problem)})


class SqlModule:
    def __init__(self, ctx: ModuleContext) -> None:
        path = ctx.options.get("sqlite")
        self._db = Database(str(path)) if path else None
        self._statements: dict[str, str] = {}
        self._lock = threading.Lock()

    def register(self, name: Any, statement: Any) -> bool:
        name = want_str("sql", "name", name)
        statement = want_str("sql", "statement", statement)
        if not statement.strip():
            raise bad_arg("sql", "statement", "a non-empty SQL statement")
        with self._lock:
            self._statements[name] = statement
        return True

    def run(self, fn: str, name: Any, params: Any) -> Result:
        name = want_str(fn, "name", name)
        bound = _params(fn, params)
        with self._lock:
            statement = self._statements.get(name)
        if statement is None:
            return err({"tag": "unknown_query", "message": f"no statement registered as {name!r}"})
        if self._db is None:
            message = "zigttp:sql needs a database: start the server with --sqlite FILE"
            return err({"tag": "not_configured", "message": message})
        try:
            if fn == "sqlExec":
                return ok(self._db.execute(statement, bound))
            rows = self._db.query(statement, bound)
        except sqlite3.Error as problem:
            return _failure(problem)
        return ok(rows) if fn == "sqlMany" else ok(rows[0] if rows else None)


def create(ctx: ModuleContext) -> dict[str, Any]:
    module = SqlModule(ctx)
    return {
        "sql": module.register,
        "sqlOne": lambda name, params=None: module.run("sqlOne", name, params),
        "sqlMany": lambda name, params=None: module.run("sqlMany", name, params),
        "sqlExec": lambda name, params=None: module.run("sqlExec", name, params),
    }


MODULE = ModuleSpec(
    name="sql",
    exports=("sql", "sqlOne", "sqlMany", "sqlExec"),
    create=create,
    traceable=frozenset({"sqlOne", "sqlMany", "sqlExec"}),
    blocking=True,
)
