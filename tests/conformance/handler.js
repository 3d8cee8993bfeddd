// One handler exercising the request/response surface; served by every host under test.
function handler(request) {
  switch (request.path) {
    case "/json":
      return Response.json({ ok: true });
    case "/echo":
      return Response.json({
        method: request.method, path: request.path, query: request.query, body: request.text(),
        type: request.headers.get("content-type"), agent: request.headers["x-agent"] ?? null,
      });
    case "/throw":
      throw new Error("conformance boom");
    case "/status":
      return new Response("created", { status: 201, headers: { "x-custom": "yes" } });
    case "/redirect":
      return Response.redirect("/json");
    case "/binary":
      return new Response(new Uint8Array([0, 1, 2, 255]), {
        headers: { "content-type": "application/octet-stream" },
      });
    case "/unicode":
      return Response.text("héllo ✓");
    case "/slow": {
      const end = Date.now() + 600;
      while (Date.now() < end) {}
      return Response.text("slow");
    }
    default:
      return Response.json({ error: "not found" }, { status: 404 });
  }
}
