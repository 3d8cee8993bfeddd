class Counter { constructor() { this.n = 0; } }
function handler(req) {
  const c = new Counter();
  let i = 0;
  while (i < 3) { i++; }
  do { i--; } while (i > 0);
  for (let j = 0; j < 2; j += 1) {}
  for (const k in req.query) {}
  for (const v of [1, 2]) {}
  switch (req.method) { case "GET": break; default: break; }
  try { throw new Error("x"); } catch (e) {}
  const empty = null;
  const re = /ab+c/;
  const o = { a: 1 };
  delete o.a;
  if (req.method == "GET") {}
  return Response.json({ c, empty, re, o });
}
