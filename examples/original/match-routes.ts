// The original zigttp's `match` expression: object, array, literal and wildcard patterns.
// Runs unchanged under the original and here (see docs/coming-from-the-original.md).

type Shape =
    | { kind: "circle"; radius: number }
    | { kind: "square"; side: number }
    | { kind: "rect"; w: number; h: number };

function area(shape: Shape): number {
    return match (shape) {
        when { kind: "circle" }: Math.round(Math.PI * shape.radius * shape.radius)
        when { kind: "square" }: shape.side * shape.side
        when { kind: "rect", w: _, h: _ }: shape.w * shape.h
        default: -1
    };
}

function describe(code: number): string {
    return match (code) {
        when 200: "ok",
        when 404: "not found",
        when _: "other",
    };
}

function handler(req: Request): Response {
    return match (req) {
        when { method: "GET", path: "/health" }:
            Response.json({ ok: true })
        when { method: "GET", path: "/area" }:
            Response.json({
                circle: area({ kind: "circle", radius: 2 }),
                square: area({ kind: "square", side: 3 }),
                rect: area({ kind: "rect", w: 2, h: 5 }),
            })
        when { method: "GET", path: "/status" }:
            Response.json([200, 404, 500].map(describe))
        when { method: "POST", path: "/pair" }:
            match (JSON.parse(req.body ?? "[]")) {
                when [1, _]: Response.json({ first: "one" })
                when []: Response.json({ empty: true })
                default: Response.json({ other: true })
            }
        default:
            Response.text("Not Found", { status: 404 })
    };
}
