-- Schema for sql-crud.ts: sqlite3 todos.db < examples/sql-crud.sql
CREATE TABLE IF NOT EXISTS todos (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  title TEXT NOT NULL UNIQUE,
  done INTEGER NOT NULL DEFAULT 0
);
