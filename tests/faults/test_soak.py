"""A short soak in CI (`bench/soak.py --seconds 15`): good requests, handler faults and
mid-response disconnects against 2 workers. The full 5-minute run is `python bench/soak.py`.

RSS is reported but not judged here: 15 s is mostly warm-up (each runtime grows towards its
`-m` ceiling once before reuse); the 5-minute run judges the slope after warm-up.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.soak
@pytest.mark.timeout(90)
def test_short_soak_loses_no_good_request_and_no_worker() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "bench/soak.py",
            "--seconds",
            "15",
            "--clients",
            "8",
            "--json",
            "--max-rss-slope",
            "100000",
        ],
        capture_output=True,
        text=True,
        timeout=80,
        cwd=ROOT,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["problems"] == [], report
    assert report["good_requests"] > 500 and report["good_failed"] == 0
    assert report["fault_requests"] > 0 and set(report["fault_statuses"]) == {"500"}
    assert report["disconnects"] > 0
    assert report["workers_alive_at_end"] == report["workers_started"] and len(report["workers_started"]) == 2
    assert result.returncode == 0
