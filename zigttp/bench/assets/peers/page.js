// The ~20 KB page of zigttp/bench/assets/handlers/bench.tsx, rendered with template strings (for the peers).
function escape(s) { return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"); }
function page() {
  let rows = "";
  for (let i = 0; i < 200; i++) {
    rows += `<tr class="${i % 2 === 0 ? "even" : "odd"}"><td>${i}</td><td>Item number ${i}</td><td><a href="${escape(`/items/${i}`)}">details &amp; more</a></td></tr>`;
  }
  return `<html><head><title>zigttp bench</title></head><body><h1>Items</h1><table>${rows}</table></body></html>`;
}
function route(method, path, body) {
  if (path === "/api/health") return [200, "application/json", JSON.stringify({ status: "ok" })];
  if (path === "/api/echo") return [200, "application/json", JSON.stringify({ method, body: body ? JSON.parse(body) : undefined })];
  if (path.startsWith("/api/greet/")) return [200, "application/json", JSON.stringify({ greeting: `Hello, ${decodeURIComponent(path.slice(11))}!` })];
  if (path === "/page") return [200, "text/html; charset=utf-8", page()];
  return [404, "application/json", JSON.stringify({ error: "not found" })];
}
if (typeof module !== "undefined") module.exports = { route };
globalThis.benchRoute = route;
