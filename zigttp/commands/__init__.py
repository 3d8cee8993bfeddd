"""One module per CLI command: the work behind `cli.py`'s thin flag parsing."""
