// Peer harness: `node harness.js FILE ITERATIONS` (also deno/bun) → prints seconds for bench(n).
const fs = typeof require === "function" ? require("fs") : null;
const args = typeof Deno !== "undefined" ? Deno.args : process.argv.slice(2);
const source = typeof Deno !== "undefined" ? Deno.readTextFileSync(args[0]) : fs.readFileSync(args[0], "utf8");
const bench = new Function(source + "\nreturn bench;")();
const n = Number(args[1]);
bench(Math.max(1, Math.floor(n / 10)));
const start = performance.now();
bench(n);
console.log(((performance.now() - start) / 1000).toFixed(6));
