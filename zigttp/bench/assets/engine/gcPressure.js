function bench(n) { let total = 0; for (let i = 0; i < n; i++) total = (total + JSON.stringify({ a: i % 100, b: "str" }).length) % 1000000; return total; }
