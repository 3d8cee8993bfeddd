let hits = 0;
const cache = {};
const seen = [];
const unusedConst = 1;
function handler(req) {
  hits += 1;
  cache[req.path] = true;
  seen.push(req.path);
  const local = [];
  local.push(1);
  const _ignored = 2;
  if (req.method == "GET" || req.method != "HEAD") {
    return Response.json({ hits, n: local.length });
  }
  return Response.text("x");
}
