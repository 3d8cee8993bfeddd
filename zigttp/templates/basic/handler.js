// {{name}}: a zigttp handler. Files in public/ are served first (zigttp.json "static");
// every other request reaches this function.
function handler(request) {
  if (request.path === "/api/hello") {
    const name = request.query.name ?? "world";
    return Response.json({ message: `Hello, ${name}!` });
  }
  return Response.text("Not Found", { status: 404 });
}
