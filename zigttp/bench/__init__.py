"""`zigttp bench`: engine microbenchmarks, HTTP throughput and cold start, side by side with peers.

Figures, never assertions: each part prints a table with ratios to Node measured in the same
run, `--json` writes them, and `--check BASELINE` compares ratios against a saved run.
"""
