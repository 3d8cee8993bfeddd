"""stub"""
from __future__ import annotations
def analyze(source, root, options, is_entry, exports):
    return []
