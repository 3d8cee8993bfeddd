function handle(url, payload, i) {
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  if (!path.startsWith("/api/")) return { status: 404, body: "" };
  const data = JSON.parse(payload);
  const headers = { "content-type": "application/json", "x-request-id": "req-" + i };
  return { status: 200, headers, body: JSON.stringify({ path, user: data.user, items: data.items.length }) };
}
function bench(n) { let s = 0; const payload = JSON.stringify({ user: "ada", items: [1, 2, 3, 4] }); for (let i = 0; i < n; i++) s += handle("/api/users?id=" + i, payload, i).status; return s; }
