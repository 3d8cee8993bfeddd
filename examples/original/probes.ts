// assert, range() and the pipe operator, in the style of the original's handler/feature-probes.ts.

function double(x: number): number { return x * 2; }
function inc(x: number): number { return x + 1; }
function show(x: number): string { return `value ${x}`; }

function handler(req: Request): Response {
    if (req.path === "/assert") {
        assert req.headers.authorization !== undefined, Response.json({ error: "authorization required" }, { status: 400 });
        return Response.json({ authorization: req.headers.authorization });
    }
    if (req.path === "/range") {
        let seen = "";
        let total = 0;
        for (const i of range(5)) {
            if (i === 1) continue;
            seen += String(i);
            total += i;
        }
        const evens = [...range(10, 0, -2)];
        return Response.json({ seen, total, evens, size: range(1, 4).length });
    }
    if (req.path === "/pipe") {
        const text = 3 |> double |> inc |> show;
        const piped = [1, 2, 3] |> ((xs) => xs.map(double)) |> JSON.stringify;
        return Response.json({ text, piped });
    }
    return Response.text("Not Found", { status: 404 });
}
