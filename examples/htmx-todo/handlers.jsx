// An HTMX todo app: list, add, toggle, delete. The page loads htmx from /static/htmx.min.js:
//   zigttp serve --static examples/htmx-todo/static examples/htmx-todo/handlers.jsx
// Todos live in module state, which is per pooled runtime: run with `-n 1` for a demo that
// keeps one list (use zigttp:cache or zigttp:sql for state shared by every runtime).
const todos = [
  { id: 1, title: "Try zigttp", done: true },
  { id: 2, title: "Write a handler", done: false },
];
let nextId = 3;

function parseForm(body) {
  const fields = {};
  for (const pair of (body ?? "").split("&")) {
    if (pair === "") continue;
    const [key, value = ""] = pair.split("=");
    fields[decodeURIComponent(key.replaceAll("+", " "))] = decodeURIComponent(value.replaceAll("+", " "));
  }
  return fields;
}

function TodoItem({ todo }) {
  return (
    <li id={`todo-${todo.id}`} class={todo.done ? "done" : ""}>
      <input type="checkbox" checked={todo.done} hx-post={`/todos/${todo.id}/toggle`}
             hx-target={`#todo-${todo.id}`} hx-swap="outerHTML" />
      <span>{todo.title}</span>
      <button hx-delete={`/todos/${todo.id}`} hx-target={`#todo-${todo.id}`} hx-swap="outerHTML">
        Delete
      </button>
    </li>
  );
}

function Page() {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>HTMX todos</title>
        <script src="/static/htmx.min.js"></script>
        <style>{".done span { text-decoration: line-through; }"}</style>
      </head>
      <body>
        <h1>Todos</h1>
        <form hx-post="/todos" hx-target="#todos" hx-swap="beforeend" hx-on--after-request="this.reset()">
          <input name="title" placeholder="What needs doing?" required />
          <button type="submit">Add</button>
        </form>
        <ul id="todos">
          {todos.map((todo) => <TodoItem todo={todo} />)}
        </ul>
      </body>
    </html>
  );
}

function html(node, status = 200) {
  return Response.html(renderToString(node), { status });
}

function findTodo(id) {
  return todos.find((todo) => todo.id === Number(id));
}

function handler(request) {
  const parts = request.path.split("/").filter((part) => part !== "");
  if (request.method === "GET" && parts.length === 0) {
    return Response.html("<!DOCTYPE html>" + renderToString(<Page />));
  }
  if (request.method === "POST" && request.path === "/todos") {
    const title = (parseForm(request.body).title ?? "").trim();
    if (title === "") return html(<p class="error">A title is required</p>, 400);
    const todo = { id: nextId, title, done: false };
    nextId += 1;
    todos.push(todo);
    return html(<TodoItem todo={todo} />, 201);
  }
  if (parts[0] === "todos" && parts.length >= 2) {
    const todo = findTodo(parts[1]);
    if (todo === undefined) return html(<p class="error">No such todo</p>, 404);
    if (request.method === "POST" && parts[2] === "toggle") {
      todo.done = !todo.done;
      return html(<TodoItem todo={todo} />);
    }
    if (request.method === "DELETE" && parts.length === 2) {
      todos.splice(todos.indexOf(todo), 1);
      return Response.html("");
    }
  }
  return html(<p>Not Found</p>, 404);
}
