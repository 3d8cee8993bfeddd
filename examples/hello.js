// The smallest zigttp handler: `make serve`, then `curl http://127.0.0.1:8080/`.
function handler(request) {
  if (request.path === "/api/health") {
    return Response.json({ status: "ok" });
  }
  if (request.path === "/api/echo" && request.method === "POST") {
    return Response.json({ method: request.method, body: request.json() });
  }
  if (request.path.startsWith("/api/greet/")) {
    const name = decodeURIComponent(request.path.slice("/api/greet/".length));
    return Response.json({ greeting: `Hello, ${name}!` });
  }
  return Response.json({ hello: "world", path: request.path, query: request.query });
}
