"""Tables, JSON, and the `--check` regression gate for `zigttp bench` results.

The gate compares *ratios to Node measured in the same run*, so a slower or busier machine does
not fail it: a figure fails when its ratio drops more than 10 % below the baseline's ratio.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TOLERANCE = 0.10


def engine_table(rows: list[dict[str, Any]]) -> str:
    peers = [p for p in ("node", "deno", "bun") if any(p in row for row in rows)]
    lines = [
        f"{'benchmark':18} {'zigttp ops/s':>14} "
        + " ".join(f"{p + ' ops/s':>14}" for p in peers)
        + f" {'x node':>8}"
    ]
    for row in rows:
        cells = " ".join(f"{_num(row.get(p)):>14}" for p in peers)
        lines.append(
            f"{row['name']:18} {_num(row['zigttp']):>14} {cells} {_ratio(row['zigttp'], row.get('node')):>8}"
        )
    return "\n".join(lines)


def http_table(rows: list[dict[str, Any]]) -> str:
    node = {row["endpoint"]: row["rps"] for row in rows if row["server"] == "node"}
    best = _best_peer_rps(rows)
    lines = [
        f"{'server':26} {'endpoint':8} {'rps':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} "
        f"{'x node':>7} {'x best':>7}"
    ]
    for row in rows:
        lines.append(
            f"{row['server']:26} {row['endpoint']:8} {row['rps']:9.0f} {row['p50_ms']:8.2f} "
            f"{row['p99_ms']:8.2f} {row['errors']:7d} {_ratio(row['rps'], node.get(row['endpoint'])):>7} "
            f"{_ratio(row['rps'], best.get(row['endpoint'], (None, 0))[1]):>7}"
        )
    return "\n".join(lines)


def coldstart_table(result: dict[str, Any]) -> str:
    runs = {row["name"]: row for row in result["runs"]}
    node = runs.get("node")
    best = min(
        (row for name, row in runs.items() if name in PEERS), key=lambda r: r["median_ms"], default=None
    )
    lines = [
        f"{'start':18} {'median ms':>10} {'p95 ms':>8} {'RSS MB':>8} {'PSS MB':>8} "
        f"{'x node':>7} {'x best':>7}"
    ]
    for row in result["runs"]:
        lines.append(
            f"{row['name']:18} {row['median_ms']:10.1f} {row['p95_ms']:8.1f} {row['rss_mb']:8.1f} "
            f"{row.get('pss_mb', 0):8.1f} {_ratio(row['median_ms'], node and node['median_ms']):>7} "
            f"{_ratio(row['median_ms'], best and best['median_ms']):>7}"
        )
    lines.append(
        "(x node / x best: the time as a multiple of node's and of the fastest peer's; lower is better)"
    )
    lines.append(
        f"pre-warming a 64-runtime pool: {result['prewarm_64_ms']:.1f} ms; "
        f"RSS per extra pooled runtime: {result['rss_per_runtime_kb']:.0f} KB"
    )
    return "\n".join(lines)


PEERS = ("node", "deno", "bun")


def summary_table(results: dict[str, Any]) -> str:
    """The same-run comparison: zigttp's default server against each peer, every figure
    with its ratio to node and to the best peer (markdown, as bench/README.md shows it)."""
    http = results.get("http", [])
    ours = next((row["server"] for row in http if row["server"].endswith("(default)")), None)
    peers = [
        p
        for p in PEERS
        if any(row["server"] == p for row in http)
        or any(row["name"] == p for row in results.get("coldstart", {}).get("runs", []))
    ]
    lines = [
        "| | zigttp | " + " | ".join(peers) + " | zigttp ÷ node | zigttp ÷ best peer |",
        "|---" * (len(peers) + 4) + "|",
    ]
    best = _best_peer_rps(http)
    for endpoint in dict.fromkeys(row["endpoint"] for row in http):
        rps = {row["server"]: row["rps"] for row in http if row["endpoint"] == endpoint}
        mine = rps.get(ours) if ours else None
        peak = best.get(endpoint, (None, 0))
        lines.append(
            f"| {endpoint} rps | {_num(mine)} | "
            + " | ".join(_num(rps.get(p)) for p in peers)
            + f" | {_ratio(mine, rps.get('node'))} | {_ratio(mine, peak[1])} ({peak[0]}) |"
        )
    runs = {row["name"]: row for row in results.get("coldstart", {}).get("runs", [])}
    for key, label, unit in (
        ("median_ms", "spawn → first 200", "ms"),
        ("pss_mb", "memory (PSS)", "MB"),
        ("rss_mb", "memory (RSS sum)", "MB"),
    ):
        for name in (n for n in runs if n.startswith("zigttp")):
            mine = runs[name].get(key)
            values = {p: runs[p].get(key) for p in peers if p in runs}
            best_peer = min(values, key=lambda p: values[p] or float("inf"), default=None)
            lines.append(
                f"| {label}, {name[7:]} | {_fmt(mine, unit)} | "
                + " | ".join(_fmt(values.get(p), unit) for p in peers)
                + f" | {_ratio(mine, values.get('node'))} | "
                f"{_ratio(mine, values.get(best_peer) if best_peer else None)} ({best_peer}) |"
            )
    lines.append("\n(rps: higher is better; ms and MB: lower is better)")
    return "\n".join(lines)


def _best_peer_rps(rows: list[dict[str, Any]]) -> dict[str, tuple[str, float]]:
    best: dict[str, tuple[str, float]] = {}
    for row in rows:
        if row["server"] in PEERS and row["rps"] > best.get(row["endpoint"], ("", 0.0))[1]:
            best[row["endpoint"]] = (row["server"], row["rps"])
    return best


def _fmt(value: Any, unit: str) -> str:
    return "-" if value is None else f"{value:,.1f} {unit}"


def ratios(results: dict[str, Any]) -> dict[str, float]:
    """Every figure as a ratio to Node (higher is better), keyed for comparison across runs."""
    out: dict[str, float] = {}
    for row in results.get("engine", []):
        if row.get("node"):
            out[f"engine/{row['name']}"] = row["zigttp"] / row["node"]
    http = results.get("http", [])
    node = {row["endpoint"]: row["rps"] for row in http if row["server"] == "node"}
    for row in http:
        if row["server"].startswith("zigttp") and node.get(row["endpoint"]):
            out[f"http/{row['server']}/{row['endpoint']}"] = row["rps"] / node[row["endpoint"]]
    runs = {row["name"]: row["median_ms"] for row in results.get("coldstart", {}).get("runs", [])}
    for name, median in runs.items():
        if name.startswith("zigttp") and runs.get("node"):
            out[f"coldstart/{name}"] = runs["node"] / median
    return out


def check(results: dict[str, Any], baseline_path: Path) -> list[str]:
    """Regressions: figures whose ratio to Node fell more than TOLERANCE below the baseline's."""
    baseline = ratios(json.loads(baseline_path.read_text()))
    current = ratios(results)
    return [
        f"{key}: {current[key]:.2f}x node, baseline {value:.2f}x"
        for key, value in baseline.items()
        if key in current and current[key] < value * (1 - TOLERANCE)
    ]


def _num(value: Any) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _ratio(ours: Any, node: Any) -> str:
    return "-" if not node or ours is None else f"{ours / node:.2f}"
