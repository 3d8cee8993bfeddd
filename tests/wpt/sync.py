"""Copy the WPT files the areas list (and what they load) from a WPT checkout into suite/.

    python -m tests.wpt.sync /path/to/wpt [AREA ...]

Copies each test file of tests/wpt/areas/*.txt, its `// META: script=` helpers and the JSON
resources it names, at their WPT paths; prints what it could not find. Our own
resources/testharness.js is never overwritten (it is the pinned copy the baselines match).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from tests.wpt import runner


def wanted(test: str, source: Path) -> list[str]:
    """WPT paths one test file needs: itself, its META scripts, JSON resources it names."""
    text = (source / test).read_text("utf-8")
    base = "/" + test.rsplit("/", 1)[0] + "/"
    paths = [test]
    for key, value in runner._META.findall(text):
        if key == "script":
            value = value.strip()
            paths.append((value if value.startswith("/") else base + value).lstrip("/"))
    folder = test.rsplit("/", 1)[0]
    paths += [
        f"{folder}/{ref}".lstrip("/") if not ref.startswith("/") else ref.lstrip("/")
        for ref in runner._JSON_RESOURCE.findall(text)
    ]
    return paths


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    source = Path(argv[0])
    missing = 0
    for area in argv[1:] or runner.all_areas():
        for test in runner.area_files(area):
            if not (source / test).is_file():
                print(f"missing in {source}: {test}")
                missing += 1
                continue
            for path in wanted(test, source):
                if (runner.OWN / path).is_file() or not (source / path).is_file():
                    continue
                target = runner.SUITE / path
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source / path, target)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
