"""The JSX page row alone: this tree, another tree and the peers, interleaved rounds.

    .venv/bin/python bench/page_http.py [--before DIR] [--rounds 3] [--duration 5]

Each server (default workers) is started in turn for `/page` of the bench handler, warmed
for a second, then measured with the same wrk command as `zigttp bench http`; the rounds
interleave the servers, so a moment of load from the machine's other tenants lands on one
round of each, not on one server. `--before DIR` adds the zigttp of another tree (e.g. a
`git archive` of main with its extension built in place). The best round per server is the
figure; every round is printed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from zigttp.bench import http, peers


def servers(port: int, before: str | None) -> dict[str, tuple[list[str], dict[str, str]]]:
    out = {"zigttp": (peers.zigttp_serve(http.HANDLER, port), peers.server_env())}
    if before:
        out["zigttp before"] = (peers.zigttp_serve(http.HANDLER, port), peers.server_env(PYTHONPATH=before))
    for peer, executable in peers.available().items():
        out[peer] = (peers.server_command(peer, executable, port), peers.server_env())
    return out


def one(command: list[str], env: dict[str, str], port: int, seconds: float) -> float:
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=peers.ASSETS, env=env
    )
    try:
        http.wait_ready(f"http://127.0.0.1:{port}/api/health", process=process)
        url = f"http://127.0.0.1:{port}/page"
        http.wrk(url, 1, 50, [], False)  # warm-up (and the inline lane's probation)
        return float(http.wrk(url, seconds, 50, [], False)["rps"])
    finally:
        http.stop(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", metavar="DIR", help="a tree whose zigttp/ to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=5)
    args = parser.parse_args()
    port = http.free_port()
    contenders = servers(port, args.before)
    rounds: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(args.rounds):
        for name, (command, env) in contenders.items():
            rounds[name].append(one(command, env, port, args.duration))
            print(f"{name:14} {rounds[name][-1]:8,.0f} rps", file=sys.stderr)
    node = max(rounds.get("node", [0.0])) or float("nan")
    for name, figures in rounds.items():
        shown = " / ".join(f"{f:,.0f}" for f in figures)
        print(f"{name:14} best {max(figures):8,.0f} rps  ({max(figures) / node:.2f}x node)  rounds: {shown}")


if __name__ == "__main__":
    main()
