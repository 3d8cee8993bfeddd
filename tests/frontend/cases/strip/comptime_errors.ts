const a = comptime(Date.now());
const b = comptime(someVar * 2);
const c = comptime(Math.random());
const d = comptime(`x${1}`);
const e = comptime(((x) => x)(1));
export function handler() { return Response.json([a, b, c, d, e]); }
