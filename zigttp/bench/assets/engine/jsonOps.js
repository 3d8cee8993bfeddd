function bench(n) { let total = 0; for (let i = 0; i < n; i++) { total += JSON.parse(JSON.stringify({ users: [{ id: 1 }, { id: 2 }] })).users.length; } return total; }
