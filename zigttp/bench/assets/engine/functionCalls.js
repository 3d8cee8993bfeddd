function add(a, b) { return (a + b) % 1000000; }
function compute(x, acc) { return add(x, acc); }
function bench(n) { let result = 0; for (let i = 0; i < n; i++) result = compute(i % 1000, result); return result; }
