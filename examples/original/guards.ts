// Guard composition with `|>` and zttp:compose, as in the original's routing/guard-compose.ts.
// Pre-guards answer the request or return undefined; post-guards may replace the response.

import { guard, pipe } from "zttp:compose";
import { parseBearer } from "zttp:auth";

function preflight(req: Request): Response | undefined {
    if (req.method === "OPTIONS") {
        return Response.text("", { status: 204, headers: { "Access-Control-Allow-Origin": "*" } });
    }
}

function requireToken(req: Request): Response | undefined {
    const token = parseBearer(req.headers["authorization"] ?? "");
    if (!token) return Response.json({ error: "unauthorized" }, { status: 401 });
}

function hideErrors(res: Response): Response | undefined {
    if (res.status >= 500) return Response.json({ error: "internal" }, { status: 500 });
}

function routes(req: Request): Response {
    if (req.path === "/boom") return Response.text("stack trace here", { status: 503 });
    const total = pipe(() => [1, 2, 3], (xs) => xs.map((x) => x * 10), (xs) => xs.reduce((a, b) => a + b, 0));
    return Response.json({ path: req.path, total });
}

const handler = guard(preflight)
    |> guard(requireToken)
    |> routes
    |> guard(hideErrors);
