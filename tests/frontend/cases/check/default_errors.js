var legacy = 1;
with (Math) { legacy = PI; }
const holes = [1, , 3];
const ev = eval("1 + 1");
const indirect = (0, eval)("2");
const boxed = new String("x");
const now = Date.now();
const d = new Date();
const parsed = Date.parse("2020");
function handler(req) {
  return Response.json({ legacy, holes, ev, indirect, boxed, now, d, parsed });
}
