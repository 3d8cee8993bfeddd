// Bun peer for the HTTP benchmark: Bun.serve with the routes of zigttp/bench/assets/peers/page.js.
const { route } = require("./page.js");
const port = Number(process.argv[2] || 8081);
Bun.serve({
  port, hostname: "127.0.0.1",
  async fetch(req) {
    const url = new URL(req.url);
    const body = req.method === "POST" ? await req.text() : "";
    const [status, type, text] = route(req.method, url.pathname, body);
    return new Response(text, { status, headers: { "content-type": type } });
  },
});
console.log(`Listening on http://127.0.0.1:${port}`);
