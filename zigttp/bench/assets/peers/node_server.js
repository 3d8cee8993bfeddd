// Node peer for the HTTP benchmark: node:http with the routes of zigttp/bench/assets/peers/page.js.
const http = require("http");
const { route } = require("./page.js");
const port = Number(process.argv[2] || 8081);
http.createServer((req, res) => {
  const q = req.url.indexOf("?");
  const path = q < 0 ? req.url : req.url.slice(0, q);
  let body = "";
  req.on("data", (chunk) => { body += chunk; });
  req.on("end", () => {
    const [status, type, text] = route(req.method, path, body);
    res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(text) });
    res.end(text);
  });
}).listen(port, "127.0.0.1", () => console.log(`Listening on http://127.0.0.1:${port}`));
