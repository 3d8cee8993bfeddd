// Deno peer for the HTTP benchmark: Deno.serve with the routes of zigttp/bench/assets/peers/page.js.
import "./page.js";
const port = Number(Deno.args[0] || 8081);
Deno.serve({ port, hostname: "127.0.0.1", onListen: () => console.log(`Listening on http://127.0.0.1:${port}`) }, async (req) => {
  const url = new URL(req.url);
  const body = req.method === "POST" ? await req.text() : "";
  const [status, type, text] = globalThis.benchRoute(req.method, url.pathname, body);
  return new Response(text, { status, headers: { "content-type": type } });
});
