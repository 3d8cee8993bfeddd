"""`python -m zigttp` is the same as the `zigttp` command."""

from zigttp.entry import main

main()
