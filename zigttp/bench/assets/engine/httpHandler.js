function bench(n) { let last = null; for (let i = 0; i < n; i++) last = { status: 200, body: JSON.stringify({ id: i % 100, name: "User" }) }; return last.status; }
