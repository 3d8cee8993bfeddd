function bench(n) { let items = []; for (let i = 0; i < n; i++) { items.push({ id: i, name: "item" }); if (items.length > 100) items = []; } return items.length; }
