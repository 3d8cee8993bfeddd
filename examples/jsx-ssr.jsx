// Server-side rendering with JSX: a layout, components with children, a list, and request info.
function Layout({ title, children }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{title}</title>
      </head>
      <body>
        <header>
          <a href="/">Home</a> | <a href="/about">About</a>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}

function Card({ heading, children }) {
  return (
    <div class="card">
      <h3>{heading}</h3>
      {children}
    </div>
  );
}

function TodoList({ todos }) {
  return (
    <ul class="todos">
      {todos.map((todo) => (
        <li class={todo.done ? "done" : "open"}>{todo.text}</li>
      ))}
    </ul>
  );
}

const todos = [
  { text: "Write the handler", done: true },
  { text: "Render <JSX> safely", done: false },
];

function page(title, body) {
  return Response.html("<!DOCTYPE html>" + renderToString(<Layout title={title}>{body}</Layout>));
}

function handler(request) {
  if (request.path === "/") {
    return page("Todos", (
      <>
        <Card heading="Today">
          <TodoList todos={todos} />
        </Card>
        <Card heading="Request">
          <p>Method: {request.method}</p>
          <p>Path: {request.path}</p>
          <p>Agent: {request.headers.get("user-agent") ?? "unknown"}</p>
        </Card>
      </>
    ));
  }
  if (request.path === "/about") {
    return page("About", <p>Rendered by zigttp with JSX.</p>);
  }
  const missing = <Layout title="Not Found"><p>No page at {request.path}</p></Layout>;
  return Response.html("<!DOCTYPE html>" + renderToString(missing), { status: 404 });
}
