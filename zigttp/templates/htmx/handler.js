// {{name}}: server-rendered HTML with htmx. GET / renders the page; POST /greet returns an
// HTML fragment that htmx swaps into the page. Static files (htmx 2.0.11, CSS) come from
// public/: the page works offline and loads no third-party script.
function escapeHtml(text) {
  return String(text)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

function formValue(body, key) {
  const pairs = (body ?? "").split("&").map((pair) => pair.split("="));
  const found = pairs.find((pair) => decodeURIComponent(pair[0]) === key);
  return found === undefined ? "" : decodeURIComponent((found[1] ?? "").replaceAll("+", " "));
}

function page() {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{{name}}</title>
  <link rel="stylesheet" href="/style.css">
  <script src="/htmx.min.js"></script>
</head>
<body>
  <h1>{{name}}</h1>
  <form hx-post="/greet" hx-target="#greeting">
    <input name="name" placeholder="Your name" required>
    <button type="submit">Greet</button>
  </form>
  <p id="greeting"></p>
</body>
</html>`;
}

function handler(request) {
  if (request.path === "/" && request.method === "GET") {
    return Response.html(page());
  }
  if (request.path === "/greet" && request.method === "POST") {
    const name = formValue(request.text(), "name").trim();
    if (name === "") {
      return Response.html("<strong>Please enter a name.</strong>", { status: 422 });
    }
    return Response.html(`Hello, <strong>${escapeHtml(name)}</strong>!`);
  }
  return Response.html("<h1>Not Found</h1>", { status: 404 });
}
