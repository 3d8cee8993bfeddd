function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
function bench(n) { let r = 0; for (let i = 0; i < n; i++) r = fib(25); return r; }
