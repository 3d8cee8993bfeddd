// A todo list with htmx: the server renders HTML, htmx swaps the list after each action.
//   GET /                  the page
//   POST /todos            add (form field "title"), answers the list
//   POST /todos/:id/toggle toggle done, answers the list
//   DELETE /todos/:id      delete, answers the list
// htmx itself (public/htmx.min.js, with a precompressed .gz sibling) is a static file.
// The list lives in zigttp:cache, which every pooled runtime and worker shares.
import { cacheGet, cacheSet, cacheIncr } from "zigttp:cache";

function escapeHtml(text) {
  return String(text)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

function load() {
  const stored = cacheGet("todos", "list");
  return stored === undefined ? [] : JSON.parse(stored);
}

function save(todos) {
  cacheSet("todos", "list", JSON.stringify(todos));
}

function formValue(body, key) {
  const pairs = (body ?? "").split("&").map((pair) => pair.split("="));
  const found = pairs.find((pair) => decodeURIComponent(pair[0]) === key);
  return found === undefined ? "" : decodeURIComponent((found[1] ?? "").replaceAll("+", " "));
}

function item(todo) {
  const swap = `hx-target="#todos" hx-swap="outerHTML"`;
  return `<li id="todo-${todo.id}" class="${todo.done ? "done" : ""}">
    <input type="checkbox" ${todo.done ? "checked" : ""} hx-post="/todos/${todo.id}/toggle" ${swap}>
    <span>${escapeHtml(todo.title)}</span>
    <button hx-delete="/todos/${todo.id}" ${swap}>Delete</button>
  </li>`;
}

function list(todos) {
  return `<ul id="todos">${todos.map(item).join("")}</ul>`;
}

function page(todos) {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>zigttp todos</title>
  <link rel="stylesheet" href="/style.css">
  <script src="/htmx.min.js"></script>
</head>
<body>
  <h1>Todos</h1>
  <form hx-post="/todos" hx-target="#todos" hx-swap="outerHTML" hx-on::after-request="this.reset()">
    <input name="title" placeholder="What needs doing?" required>
    <button type="submit">Add</button>
  </form>
  ${list(todos)}
</body>
</html>`;
}

function add(request) {
  const title = formValue(request.text(), "title").trim();
  const todos = load();
  if (title !== "") {
    save([...todos, { id: cacheIncr("todos", "next-id"), title: title, done: false }]);
  }
  return Response.html(list(load()));
}

function update(id, change) {
  save(change(load(), id));
  return Response.html(list(load()));
}

export function handler(request) {
  const parts = request.path.split("/");
  const id = Number(parts[2]);
  if (request.path === "/" && request.method === "GET") {
    return Response.html(page(load()));
  }
  if (request.path === "/todos" && request.method === "POST") {
    return add(request);
  }
  if (parts[1] === "todos" && parts[3] === "toggle" && request.method === "POST") {
    return update(id, (todos) => todos.map((t) => (t.id === id ? { ...t, done: !t.done } : t)));
  }
  if (parts[1] === "todos" && parts.length === 3 && request.method === "DELETE") {
    return update(id, (todos) => todos.filter((t) => t.id !== id));
  }
  return Response.html("<h1>Not Found</h1>", { status: 404 });
}
