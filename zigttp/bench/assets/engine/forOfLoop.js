function bench(n) { const arr = []; for (let i = 0; i < 100; i++) arr.push(i); let sum = 0; for (let r = 0; r < n / 100; r++) { for (const v of arr) sum = (sum + v) % 1000000; } return sum; }
