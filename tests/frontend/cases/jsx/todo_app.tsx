// A realistic handler: types, enum, comptime, components, lists, conditionals, htmx attrs.
type Todo = { id: number; title: string; done: boolean };
enum Filter { All = "all", Open = "open", Done = "done" }

const VERSION = comptime(hash("todo-v1"));
const todos: Todo[] = [
  { id: 1, title: "Write <tests>", done: true },
  { id: 2, title: "Ship & celebrate", done: false },
];

interface ItemProps { todo: Todo }

function Item({ todo }: ItemProps) {
  return (
    <li id={`todo-${todo.id}`} className={todo.done ? "done" : undefined}>
      <input type="checkbox" checked={todo.done} hx-post={`/todos/${todo.id}/toggle`} />
      {todo.title}
    </li>
  );
}

function Page(props: { filter: Filter; children?: unknown }) {
  const visible = todos.filter((t) =>
    props.filter === Filter.All ? true : props.filter === Filter.Done ? t.done : !t.done,
  );
  return (
    <html lang="en">
      <head>
        <meta charset="UTF-8" />
        <title>Todos ({visible.length})</title>
        <link rel="stylesheet" href={`/app.css?v=${VERSION}`} />
      </head>
      <body>
        {visible.length === 0 ? <p>Nothing to do</p> : <ul>{visible.map((t) => <Item todo={t} />)}</ul>}
        <footer>
          Showing {props.filter} &middot; v{VERSION}
        </footer>
      </body>
    </html>
  );
}

function render(): string {
  return renderToString(<Page filter={Filter.Open} />) + "\n" + renderToString(<Page filter={Filter.All} />);
}
