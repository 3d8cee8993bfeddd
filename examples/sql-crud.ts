// CRUD over SQLite with zigttp:sql (serve with --sqlite todos.db; schema in sql-crud.sql).
// Statements are registered once at load time; `:name` parameters are bound by SQLite.
import { sql, sqlExec, sqlMany, sqlOne } from "zigttp:sql";
import { routerMatch } from "zigttp:router";

sql("listTodos", "SELECT id, title, done FROM todos ORDER BY id");
sql("getTodo", "SELECT id, title, done FROM todos WHERE id = :id");
sql("addTodo", "INSERT INTO todos (title, done) VALUES (:title, 0)");
sql("setDone", "UPDATE todos SET done = :done WHERE id = :id");
sql("deleteTodo", "DELETE FROM todos WHERE id = :id");

type Params = Record<string, string>;

function failed(result: { error: { tag: string; message: string } }): Response {
  const status = result.error.tag === "constraint" ? 409 : 500;
  return Response.json({ error: result.error.message }, { status });
}

const routes: Record<string, (request: Request, params: Params) => Response> = {
  "GET /todos": () => {
    const rows = sqlMany("listTodos");
    return rows.ok ? Response.json(rows.value) : failed(rows);
  },
  "GET /todos/:id": (_request, params) => {
    const row = sqlOne("getTodo", { id: Number(params.id) });
    if (!row.ok) return failed(row);
    return row.value ? Response.json(row.value) : Response.json({ error: "not found" }, { status: 404 });
  },
  "POST /todos": (request) => {
    const body = request.json() as { title?: unknown } | undefined;
    if (body === undefined || typeof body.title !== "string" || body.title === "") {
      return Response.json({ error: "title is required" }, { status: 400 });
    }
    const done = sqlExec("addTodo", { title: body.title });
    if (!done.ok) return failed(done);
    return Response.json({ id: done.value.lastInsertRowId, title: body.title, done: 0 }, { status: 201 });
  },
  "PUT /todos/:id/done": (_request, params) => {
    const done = sqlExec("setDone", { id: Number(params.id), done: 1 });
    if (!done.ok) return failed(done);
    return done.value.rowsAffected === 0
      ? Response.json({ error: "not found" }, { status: 404 })
      : Response.json({ id: Number(params.id), done: 1 });
  },
  "DELETE /todos/:id": (_request, params) => {
    const done = sqlExec("deleteTodo", { id: Number(params.id) });
    if (!done.ok) return failed(done);
    return new Response(null, { status: done.value.rowsAffected === 0 ? 404 : 204 });
  },
};

export function handler(request: Request): Response {
  const match = routerMatch(routes, request);
  return match ? match.handler(request, match.params) : Response.json({ error: "Not Found" }, { status: 404 });
}
