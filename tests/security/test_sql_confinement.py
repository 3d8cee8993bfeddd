"""`zigttp:sql` reaches only the `--sqlite` file and stops at the request's deadline (issue 19.5).

Before: `ATTACH` and `VACUUM INTO` created SQLite files at any writable path, a read-only
`ATTACH 'file:...?mode=ro'` read any database on the host, and a recursive CTE ran forever.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

HANDLER = r"""
import { sql, sqlOne, sqlExec } from "zigttp:sql";
const OUTSIDE = %(outside)s, COPY = %(copy)s;
sql("attach", `ATTACH DATABASE '${COPY}' AS other`);
sql("attachRo", `ATTACH DATABASE 'file:${OUTSIDE}?mode=ro' AS other`);
sql("vacuumInto", `VACUUM INTO '${COPY}'`);
sql("detach", "DETACH DATABASE main");
sql("extension", "SELECT load_extension('/tmp/nope.so') AS x");
sql("tempDir", `PRAGMA temp_store_directory = '${COPY}'`);
sql("writableSchema", "PRAGMA writable_schema = ON");
sql("forever", "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) AS m FROM n");
sql("hugeBlob", "SELECT length(zeroblob(1000000000)) AS n");
sql("count", "SELECT count(*) AS n FROM notes");
sql("add", "INSERT INTO notes (body) VALUES (:body)");
sql("vacuum", "VACUUM");
sql("tables", "SELECT name FROM pragma_table_list WHERE schema = 'main' AND name = 'notes'");
export function handler(req) {
  const name = req.url.slice(1);
  const run = name === "count" || name.startsWith("attach") || name === "extension" ||
    name === "forever" || name === "hugeBlob" || name === "tables" ? sqlOne : sqlExec;
  return Response.json(run(name, name === "add" ? { body: "hi" } : undefined));
}
"""


@pytest.fixture
def confined(serve, tmp_path: Path):
    db = tmp_path / "app.db"
    sqlite3.connect(db).executescript("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);")
    outside = tmp_path / "outside.db"
    sqlite3.connect(outside).executescript("CREATE TABLE secrets (v TEXT); INSERT INTO secrets VALUES ('s');")
    copy = tmp_path / "copy.db"
    source = HANDLER % {"outside": f'"{outside}"', "copy": f'"{copy}"'}
    server = serve(source, "--sqlite", str(db), "--timeout", "1", "-n", "1", "-q")
    return server, copy


@pytest.mark.parametrize(
    "name", ["attach", "attachRo", "vacuumInto", "detach", "extension", "tempDir", "writableSchema"]
)
def test_statements_reaching_beyond_the_database_are_not_allowed(confined, name: str) -> None:
    server, copy = confined
    result = server.get("/" + name).json()
    assert result["ok"] is False and result["error"]["tag"] == "not_allowed", result
    assert "not allowed" in result["error"]["message"]
    assert not copy.exists()
    assert server.get("/count").json() == {"ok": True, "value": {"n": 0}}


def test_a_runaway_recursive_query_stops_at_the_request_deadline(confined) -> None:
    server, _ = confined
    result = server.get("/forever", timeout=20).json()  # --timeout 1; before: never answered
    assert result["ok"] is False and result["error"]["tag"] == "timeout", result
    assert server.get("/add").json()["ok"] is True
    assert server.get("/count").json() == {"ok": True, "value": {"n": 1}}


def test_values_are_capped_and_the_database_itself_still_works(confined) -> None:
    server, _ = confined
    huge = server.get("/hugeBlob").json()
    assert huge["ok"] is False and "too big" in huge["error"]["message"]
    assert server.get("/add").json()["ok"] is True
    assert server.get("/vacuum").json()["ok"] is True
    assert server.get("/tables").json() == {"ok": True, "value": {"name": "notes"}}
