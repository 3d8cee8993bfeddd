// Node peer for the HTTP benchmark: the same endpoints as examples/hello.js.
const http = require("http");
const port = Number(process.argv[2] || 8081);
http.createServer((req, res) => {
  const url = req.url;
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  let body = "";
  req.on("data", (chunk) => { body += chunk; });
  req.on("end", () => {
    let out;
    if (path === "/api/health") out = { status: "ok" };
    else if (path === "/api/echo" && req.method === "POST") out = { method: req.method, body: body ? JSON.parse(body) : null };
    else if (path.startsWith("/api/greet/")) out = { greeting: `Hello, ${decodeURIComponent(path.slice(11))}!` };
    else out = { hello: "world", path };
    const text = JSON.stringify(out);
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  });
}).listen(port, "127.0.0.1", () => console.log(`Listening on http://127.0.0.1:${port}`));
