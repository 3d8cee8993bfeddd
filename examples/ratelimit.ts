// Fixed-window rate limiting with zigttp:ratelimit: 5 requests per client per 60 s.
// Counters are shared by every runtime and worker of the server (not per runtime).
import { rateCheck } from "zigttp:ratelimit";

const LIMIT = 5;
const WINDOW_SECONDS = 60;

function clientKey(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-for");
  return "api:" + (forwarded ?? "anonymous").split(",")[0].trim();
}

export function handler(request: Request): Response {
  const check = rateCheck(clientKey(request), LIMIT, WINDOW_SECONDS);
  if (!check.ok) {
    return Response.json(
      { error: "rate limit exceeded", retryAfter: check.error.retryAfter },
      { status: 429, headers: { "retry-after": String(check.error.retryAfter) } },
    );
  }
  return Response.json(
    { ok: true, path: request.path },
    { headers: { "x-ratelimit-limit": String(LIMIT), "x-ratelimit-remaining": String(check.value.remaining) } },
  );
}
