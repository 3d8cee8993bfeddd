"""Issue 2's comparison, zigttp vs Node (and Deno/Bun when installed): HTTP throughput on the
benchmark handler and cold start. A thin wrapper over `zigttp bench http coldstart`.

    .venv/bin/python bench/http_throughput.py [--duration 10] [--connections 50]
"""

from __future__ import annotations

import argparse
import sys

from zigttp.commands.bench import run_bench


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()
    return run_bench(
        ("http", "coldstart"),
        quick=False,
        json_path=None,
        check_path=None,
        seconds=args.duration,
        connections=args.connections,
    )


if __name__ == "__main__":
    sys.exit(main())
