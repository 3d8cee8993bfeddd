// Handler for the Lambda tests: echoes what the event became, counts warm invocations.
let invocations = 0;
function handler(request) {
  invocations += 1;
  switch (request.path) {
    case "/throw":
      throw new Error("lambda boom");
    case "/binary":
      return new Response(new Uint8Array([137, 80, 78, 71, 0, 255]), { headers: { "content-type": "image/png" } });
    case "/cookies": {
      const headers = new Headers({ "x-multi": "a" });
      headers.append("set-cookie", "a=1; Path=/");
      headers.append("set-cookie", "b=2; Path=/");
      return new Response("cookies", { headers });
    }
    case "/big":
      return Response.text("x".repeat(7 * 1024 * 1024));
    default:
      return Response.json({
        invocations, method: request.method, url: request.url, body: request.text(),
        header1: request.headers.get("header1"), header2: request.headers.get("header2"),
        cookie: request.headers.get("cookie"), type: request.headers.get("content-type"),
      }, { status: request.method === "POST" ? 201 : 200 });
  }
}
