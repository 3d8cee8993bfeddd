"""`zigttp test`: declarative JSONL fixtures run against a handler (spec §8)."""
