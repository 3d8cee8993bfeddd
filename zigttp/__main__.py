"""`python -m zigttp` is the same as the `zigttp` command."""

from zigttp.cli import main

main()
