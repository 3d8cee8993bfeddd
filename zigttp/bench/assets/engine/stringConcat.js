function bench(n) { let s = ""; for (let i = 0; i < n; i++) { s += "x"; if (s.length > 1000) s = ""; } return s.length; }
