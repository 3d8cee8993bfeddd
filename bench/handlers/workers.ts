// A Workers-style handler for bench/request_path.py: the Fetch standard's Request (URL,
// headers, a JSON body), responses with their own headers. Not part of the HTTP bench.
export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/api/items" && request.method === "POST") {
      const item = await request.json();
      return Response.json({ id: 1, ...item }, { status: 201, headers: { "cache-control": "no-store" } });
    }
    if (url.pathname.startsWith("/api/users/")) {
      const auth = request.headers.get("authorization");
      if (!auth) return new Response("unauthorized", { status: 401 });
      const body = JSON.stringify({
        id: url.pathname.slice(11),
        fields: url.searchParams.get("fields"),
        agent: request.headers.get("user-agent"),
      });
      return new Response(body, {
        headers: { "content-type": "application/json", "cache-control": "private, max-age=60" },
      });
    }
    return new Response("not found", { status: 404 });
  },
};
