"""`zigttp build`: single-file precompiled handler artifacts (spec §1, upstream-reference §1.14)."""
