function bench(n) { let sum = 0; for (let i = 0; i < n; i++) { sum = (sum + i) % 1000000; sum = (sum - (i % 1000) + 1000000) % 1000000; sum = (sum * 2) % 1000000; sum = sum >> 1; } return sum; }
