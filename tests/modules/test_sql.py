"""zigttp:sql: registered statements, bound parameters, Results, injection stays data."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from zigttp.modules import ModuleTypeError


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "app.db"
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, admin INTEGER);"
        "INSERT INTO users (name, admin) VALUES ('ann', 1), ('bob', 0);"
        "CREATE TABLE secrets (value TEXT); INSERT INTO secrets VALUES ('top');"
    )
    conn.close()
    return path


@pytest.fixture
def sql(load: Callable[..., dict[str, Any]], db_path: Path) -> dict[str, Any]:
    exports = load("sql", sqlite=str(db_path))
    exports["sql"]("byName", "SELECT id, name, admin FROM users WHERE name = :name")
    exports["sql"]("all", "SELECT name FROM users ORDER BY id")
    exports["sql"]("add", "INSERT INTO users (name, admin) VALUES (:name, :admin)")
    exports["sql"]("rename", "UPDATE users SET name = :to WHERE name = :from")
    return exports


def test_sql_one_returns_row(sql: dict[str, Any]) -> None:
    assert sql["sqlOne"]("byName", {"name": "ann"}) == {
        "ok": True,
        "value": {"id": 1, "name": "ann", "admin": 1},
    }


def test_sql_one_without_row_is_null(sql: dict[str, Any]) -> None:
    assert sql["sqlOne"]("byName", {"name": "zed"}) == {"ok": True, "value": None}


def test_sql_many_returns_rows(sql: dict[str, Any]) -> None:
    assert sql["sqlMany"]("all") == {"ok": True, "value": [{"name": "ann"}, {"name": "bob"}]}


def test_sql_exec_reports_rows_and_insert_id(sql: dict[str, Any]) -> None:
    assert sql["sqlExec"]("add", {"name": "cy", "admin": False}) == {
        "ok": True,
        "value": {"rowsAffected": 1, "lastInsertRowId": 3},
    }
    assert sql["sqlOne"]("byName", {"name": "cy"})["value"]["admin"] == 0
    assert sql["sqlExec"]("rename", {"to": "bo", "from": "bob"})["value"]["rowsAffected"] == 1


def test_statement_kind_is_found_past_many_comments(sql: dict[str, Any]) -> None:
    """Many leading comments made the old INSERT-detecting regex backtrack exponentially."""
    comments = "/* a */ -- b\n" * 40
    sql["sql"]("commentedAdd", comments + "INSERT INTO users (name) VALUES (:name)")
    sql["sql"]("commentedRename", comments + "UPDATE users SET name = :to WHERE name = :from")
    assert sql["sqlExec"]("commentedAdd", {"name": "cy"})["value"]["lastInsertRowId"] == 3
    assert sql["sqlExec"]("commentedRename", {"to": "bo", "from": "bob"})["value"] == {"rowsAffected": 1}


@pytest.mark.parametrize(
    "attack",
    [
        "' OR '1'='1",
        "ann'; DROP TABLE users; --",
        "x' UNION SELECT value, value, 1 FROM secrets --",
    ],
)
def test_injection_attempts_stay_data(sql: dict[str, Any], db_path: Path, attack: str) -> None:
    assert sql["sqlOne"]("byName", {"name": attack}) == {"ok": True, "value": None}
    assert sql["sqlExec"]("add", {"name": attack, "admin": 0})["ok"] is True
    assert sql["sqlOne"]("byName", {"name": attack})["value"]["name"] == attack
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM users").fetchone()[0] == 3
    conn.close()


def test_constraint_violation_is_result(sql: dict[str, Any]) -> None:
    result = sql["sqlExec"]("add", {"name": "ann", "admin": 0})
    assert result["ok"] is False and result["error"]["tag"] == "constraint"
    assert "UNIQUE" in result["error"]["message"]


def test_missing_parameter_is_sql_error(sql: dict[str, Any]) -> None:
    result = sql["sqlOne"]("byName", {})
    assert result["ok"] is False and result["error"]["tag"] == "sql_error"


def test_unknown_query_is_result(sql: dict[str, Any]) -> None:
    assert sql["sqlOne"]("ghost")["error"]["tag"] == "unknown_query"


def test_read_functions_cannot_write(sql: dict[str, Any]) -> None:
    result = sql["sqlOne"]("add", {"name": "dan", "admin": 0})
    assert result["ok"] is False and "readonly" in result["error"]["message"]
    assert sql["sqlOne"]("byName", {"name": "dan"})["value"] is None


def test_multiple_statements_are_refused(sql: dict[str, Any]) -> None:
    sql["sql"]("two", "SELECT 1; DROP TABLE users")
    assert sql["sqlExec"]("two")["error"]["tag"] == "sql_error"
    assert sql["sqlMany"]("all")["value"]


def test_without_sqlite_option_queries_return_clear_error(
    load: Callable[..., dict[str, Any]],
) -> None:
    exports = load("sql")
    assert exports["sql"]("q", "SELECT 1") is True  # registration works at load time
    result = exports["sqlOne"]("q")
    assert result["ok"] is False and result["error"]["tag"] == "not_configured"
    assert "--sqlite" in result["error"]["message"]


def test_re_registering_a_name_replaces_the_statement(sql: dict[str, Any]) -> None:
    sql["sql"]("all", "SELECT name FROM users ORDER BY id DESC")
    assert sql["sqlMany"]("all")["value"][0] == {"name": "bob"}


@pytest.mark.parametrize(
    ("fn", "args", "argument"),
    [
        ("sql", (1, "SELECT 1"), "name"),
        ("sql", ("q", ""), "statement"),
        ("sqlOne", ("byName", ["ann"]), "params"),
        ("sqlOne", ("byName", {"name": {"$ne": 1}}), "params.name"),
    ],
)
def test_bad_arguments_raise(sql: dict[str, Any], fn: str, args: tuple[Any, ...], argument: str) -> None:
    with pytest.raises(ModuleTypeError, match=f"{fn}: argument '{argument}'"):
        sql[fn](*args)


def test_concurrent_writers_from_threads(sql: dict[str, Any]) -> None:
    sql["sql"]("addName", "INSERT INTO users (name) VALUES (:name)")

    def insert(prefix: str) -> None:
        for i in range(25):
            assert sql["sqlExec"]("addName", {"name": f"{prefix}{i}"})["ok"]

    threads = [threading.Thread(target=insert, args=(p,)) for p in "wxyz"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(sql["sqlMany"]("all")["value"]) == 102


def test_integers_beyond_sqlite_range_bind_as_doubles(sql: dict[str, Any]) -> None:
    sql["sql"]("echo", "SELECT :n AS n")
    assert sql["sqlOne"]("echo", {"n": 10**20})["value"] == {"n": 1e20}


def test_last_insert_row_id_only_for_inserts(sql: dict[str, Any]) -> None:
    sql["sqlExec"]("add", {"name": "cy", "admin": 0})
    assert sql["sqlExec"]("rename", {"to": "cyd", "from": "cy"})["value"] == {"rowsAffected": 1}
