// The HTTP benchmark handler: the original's endpoints plus a ~20 KB server-rendered page.
function Row(props: { index: number }) {
  return (
    <tr class={props.index % 2 === 0 ? "even" : "odd"}>
      <td>{props.index}</td>
      <td>Item number {props.index}</td>
      <td><a href={`/items/${props.index}`}>details &amp; more</a></td>
    </tr>
  );
}

function Page() {
  const rows = [];
  for (let i = 0; i < 200; i++) rows.push(<Row index={i} />);
  return (
    <html>
      <head><title>zigttp bench</title></head>
      <body><h1>Items</h1><table>{rows}</table></body>
    </html>
  );
}

export default function handler(req: Request): Response {
  const path = req.path;
  if (path === "/api/health") return Response.json({ status: "ok" });
  if (path === "/api/echo") return Response.json({ method: req.method, body: req.json() });
  if (path.startsWith("/api/greet/")) {
    return Response.json({ greeting: `Hello, ${decodeURIComponent(path.slice(11))}!` });
  }
  if (path === "/page") return Response.html(renderToString(<Page />));
  return Response.json({ error: "not found" }, { status: 404 });
}
