// {{name}}: a JSON API on zigttp, in TypeScript (types are stripped at load; no build step).
// Routes: GET /api/health, GET /api/greet/:name, POST /api/echo (JSON body).
// Everything else is a JSON 404.
type Json = string | number | boolean | Json[] | { [key: string]: Json };

function notFound(request: Request): Response {
  return Response.json({ error: "not found", path: request.path }, { status: 404 });
}

function echo(request: Request): Response {
  const body: Json | undefined = request.json();
  if (body === undefined) {
    return Response.json({ error: "expected a JSON body" }, { status: 400 });
  }
  return Response.json({ received: body });
}

export function handler(request: Request): Response {
  if (request.path === "/api/health") {
    return Response.json({ status: "ok" });
  }
  if (request.path.startsWith("/api/greet/") && request.method === "GET") {
    const name: string = decodeURIComponent(request.path.slice("/api/greet/".length));
    return Response.json({ greeting: `Hello, ${name}!` });
  }
  if (request.path === "/api/echo" && request.method === "POST") {
    return echo(request);
  }
  return notFound(request);
}
