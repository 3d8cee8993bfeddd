"""The front end: handler source (JS/TS/JSX/TSX + relative imports) → one runnable JS script."""
