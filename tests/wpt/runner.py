"""Run Web Platform Tests files inside a real zigttp runtime and compare with the baseline.

One WPT test file (`url/urlsearchparams-get.any.js`) runs in one fresh `JsRuntime` (the
engine, the prelude and every web API file, exactly as `serve` builds them): the handler
this module generates evaluates WPT's own `testharness.js` (unmodified), the file's
`// META: script=` helpers and the test file inside one request, so promises, timers and
`queueMicrotask` run on the request's own event loop, and answers with the harness's
results as JSON. See tests/wpt/README.md for the layout and the baseline format.

    python -m tests.wpt.runner [--update] [AREA_OR_FILE ...]

prints pass counts per area; `--update` rewrites the expected-failure baselines.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from zigttp import errors
from zigttp.runtime.engine import JsRuntime, compile_script
from zigttp.runtime.limits import RuntimeLimits

ROOT = Path(__file__).parent
SUITE = ROOT / "suite"  # WPT files at their WPT paths (README: where they come from)
OWN = ROOT  # our vendored /resources/testharness.js and self-tests take precedence
AREAS = ROOT / "areas"
EXPECTED = ROOT / "expected"
FILE_TIMEOUT = 20.0  # seconds for one test file (a runaway test ends as a harness TIMEOUT)
LONG_TIMEOUT = 60.0  # `// META: timeout=long` files (RSA key generation): WPT's own long timeout
STATUS = {0: "PASS", 1: "FAIL", 2: "TIMEOUT", 3: "NOTRUN", 4: "PRECONDITION_FAILED"}
_META = re.compile(r"^//\s*META:\s*(\w+)=(.*)$", re.M)
_JSON_RESOURCE = re.compile(r"""["']([\w./-]+\.json)["']""")

# Set up before testharness.js: a worker-less shell global, and `fetch` of the test's own
# JSON resources (WPT serves them over HTTP; we preload them) falling back to the real one.
_BOOT = r"""
globalThis.self = globalThis;
globalThis.GLOBAL = { isWindow: () => false, isWorker: () => false, isShadowRealm: () => false };
// A worker's location (WorkerLocation: URL's parts, no searchParams): the URL WPT's server
// would give the file (no variant query).
globalThis.location = (() => {
  if (typeof URL !== "function") return { href: TEST_URL, search: "", hash: "", toString: () => TEST_URL };
  const url = new URL(TEST_URL), out = { toString: () => url.href };
  for (const key of ["href", "origin", "protocol", "host", "hostname", "port", "pathname", "search", "hash"]) out[key] = url[key];
  return out;
})();
const realFetch = globalThis.fetch;
globalThis.fetch = function (input, init) {
  const key = String(input instanceof Request ? input.url : input);
  if (Object.prototype.hasOwnProperty.call(RESOURCES, key)) {
    return Promise.resolve(new Response(RESOURCES[key], { headers: { "content-type": "application/json" } }));
  }
  if (typeof realFetch === "function") return realFetch(input, init);
  return Promise.reject(new TypeError("fetch is not available in this runtime"));
};
// Newer WPT files call testharness's fetch_json(), which our pinned harness predates.
globalThis.fetch_json = (resource) => globalThis.fetch(resource).then((response) => response.json());
"""
# After testharness.js: collect the results; resolve when the harness completes, or shortly
# before the file's deadline with what has finished (the rest counts as TIMEOUT).
_REPORT = r"""
const results = [];
let finish;
const finished = new Promise((resolve) => { finish = resolve; });
add_result_callback((t) => { results.push({ name: t.name, status: t.status, message: t.message }); });
add_completion_callback((_tests, status) => {
  finish({ harness: status.status, message: status.message, tests: results });
});
if (typeof setTimeout === "function") {
  setTimeout(() => finish({ harness: 2, message: "file timed out", tests: results }), BUDGET_MS);
}
"""
_HANDLER = r"""
const WPT_SOURCES = %s;
const WPT_RESOURCES = %s;
async function handler() {
  const run = (0, eval);
  run("(function (RESOURCES, TEST_URL) {" + WPT_SOURCES.boot + "})")(WPT_RESOURCES, WPT_SOURCES.url);
  run(WPT_SOURCES.harness[1] + "\n//# sourceURL=" + WPT_SOURCES.harness[0]);
  const finished = run("(function (BUDGET_MS) {" + WPT_SOURCES.report + "; return finished; })")(%d);
  for (const [name, text] of WPT_SOURCES.scripts) {
    try { run(text + "\n//# sourceURL=" + name); }
    catch (e) { return Response.json({ harness: 1, message: "load " + name + ": " + e, tests: [] }); }
  }
  return Response.json(await finished);
}
"""


@dataclass
class FileResult:
    """What the harness said about one test file."""

    path: str
    harness: str  # OK, ERROR, TIMEOUT, PRECONDITION_FAILED, or CRASH (the runtime faulted)
    message: str = ""
    subtests: dict[str, str] = field(default_factory=dict)  # name → PASS/FAIL/...
    console: list[str] = field(default_factory=list)

    @property
    def failures(self) -> set[str]:
        """Baseline entries: failing subtests, plus `*harness*` when the file itself failed."""
        failed = {name for name, status in self.subtests.items() if status != "PASS"}
        if self.harness != "OK":
            failed.add(HARNESS_ENTRY)
        return failed

    @property
    def passed(self) -> int:
        return sum(1 for status in self.subtests.values() if status == "PASS")


HARNESS_ENTRY = "*harness*"


def locate(wpt_path: str) -> Path:
    """A WPT path (`/resources/testharness.js` or `url/x.any.js`) on disk: ours first."""
    relative = wpt_path.lstrip("/")
    own = OWN / relative
    return own if own.is_file() else SUITE / relative


def scripts_of(test: str) -> list[tuple[str, str]]:
    """The test's META helper scripts (resolved like WPT does) and then the test itself."""
    source = locate(test).read_text("utf-8")
    base = "/" + test.rsplit("/", 1)[0] + "/" if "/" in test else "/"
    out: list[tuple[str, str]] = []
    for key, value in _META.findall(source):
        if key == "script":
            value = value.strip()
            path = value if value.startswith("/") else base + value
            out.append((path, locate(path).read_text("utf-8")))
    out.append((test, source))
    # One classic script, as a browser's <script> elements share one global lexical scope: a
    # helper's top-level `const formats = [...]` (compression/resources) must be visible to the
    # test, which separate indirect evals would hide.
    return [(test, "\n;\n".join(text for _name, text in out))]


def resources_of(test: str, scripts: list[tuple[str, str]]) -> dict[str, str]:
    """JSON files the scripts name (`fetch("resources/urltestdata.json")`), preloaded."""
    found: dict[str, str] = {}
    folder = test.rsplit("/", 1)[0]
    for _name, text in scripts:
        for ref in _JSON_RESOURCE.findall(text):
            candidate = locate(f"{folder}/{ref}" if not ref.startswith("/") else ref)
            if candidate.is_file():
                found[ref] = candidate.read_text("utf-8")
    return found


# The same files in another runtime (node, deno, bun: docs/web-api.md's comparison): a script
# that prints the harness's results as JSON.
_PEER = r"""
const WPT_SOURCES = %s;
const WPT_RESOURCES = %s;
const run = (0, eval);
run("(function (RESOURCES, TEST_URL) {" + WPT_SOURCES.boot + "})")(WPT_RESOURCES, WPT_SOURCES.url);
run(WPT_SOURCES.harness[1]);
const finished = run("(function (BUDGET_MS) {" + WPT_SOURCES.report + "; return finished; })")(%d);
let loaded = true;
for (const [name, text] of WPT_SOURCES.scripts) {
  try { run(text); } catch (e) {
    loaded = false;
    console.log(JSON.stringify({ harness: 1, message: "load " + name + ": " + e, tests: [] }));
    break;
  }
}
if (loaded) finished.then((report) => process.stdout.write(JSON.stringify(report) + "\n", () => process.exit(0)));
"""


def peer_source(test: str, budget_ms: int) -> str:
    """A standalone script running `test` under another runtime (see _PEER)."""
    sources, resources = _sources(test)
    return _PEER % (json.dumps(sources), json.dumps(resources), budget_ms)


def timeout_of(test: str) -> float:
    """The file's deadline: LONG_TIMEOUT when it says `// META: timeout=long`, as WPT's runner."""
    metas = _META.findall(locate(test).read_text("utf-8"))
    long = ("timeout", "long") in ((key, value.strip()) for key, value in metas)
    return LONG_TIMEOUT if long else FILE_TIMEOUT


def run_peer(test: str, command: list[str], timeout: float | None = None) -> FileResult:
    """Run one test file under a peer runtime (`node`, `deno run -A`, `bun`)."""
    import subprocess
    import tempfile

    timeout = timeout or timeout_of(test)

    with tempfile.NamedTemporaryFile("w", suffix=".js", delete=False) as script:
        script.write(peer_source(test, int(timeout * 1000) - 1000))
    try:
        done = subprocess.run([*command, script.name], capture_output=True, text=True, timeout=timeout + 5)
    except subprocess.TimeoutExpired:
        return FileResult(test, "TIMEOUT", "peer timed out")
    finally:
        Path(script.name).unlink()
    # split("\n"), not splitlines(): subtest names may hold U+2028, \x0b... (JSON keeps them raw)
    lines = [line for line in done.stdout.split("\n") if line.startswith("{")]
    if not lines:
        return FileResult(test, "CRASH", done.stderr[-300:])
    return _result(test, json.loads(lines[-1]), [])


def _sources(test: str) -> tuple[dict, dict[str, str]]:
    """What the generated script evaluates, and the JSON resources it may fetch."""
    scripts = scripts_of(test)
    harness = locate("/resources/testharness.js").read_text("utf-8")
    sources = {
        "boot": _BOOT,
        "report": _REPORT,
        "url": f"http://web-platform.test:8000/{test}",
        "harness": ["/resources/testharness.js", harness],
        "scripts": scripts,
    }
    return sources, resources_of(test, scripts)


def handler_source(test: str, budget_ms: int) -> str:
    sources, resources = _sources(test)
    return _HANDLER % (json.dumps(sources), json.dumps(resources), budget_ms)


def run_file(test: str, timeout: float | None = None) -> FileResult:
    """Run one WPT test file in a fresh runtime; never raises for what the test does."""
    timeout = timeout or timeout_of(test)
    console: list[str] = []
    limits = RuntimeLimits(timeout=timeout)
    try:
        bytecode = compile_script(handler_source(test, int(timeout * 1000) - 1000))
        runtime = JsRuntime(bytecode, limits, lambda level, text: console.append(f"{level}: {text}"))
        answer = runtime.dispatch("GET", "/", "", None)
    except errors.HandlerError as exc:
        return FileResult(test, "CRASH", f"{type(exc).__name__}: {exc}", console=console)
    return _result(test, json.loads(answer.body), console)


def _result(test: str, report: dict, console: list[str]) -> FileResult:
    subtests: dict[str, str] = {}
    for item in report["tests"]:
        subtests[item["name"]] = STATUS.get(item["status"], "FAIL")
    harness = {0: "OK", 1: "ERROR", 2: "TIMEOUT", 3: "PRECONDITION_FAILED"}.get(report["harness"], "ERROR")
    return FileResult(test, harness, report.get("message") or "", subtests, console)


# ---- areas and baselines -----------------------------------------------------------------


def area_files(area: str) -> list[str]:
    """The WPT test files of an area (tests/wpt/areas/AREA.txt; `#` starts a comment)."""
    lines = (
        line.split("#", 1)[0].strip() for line in (AREAS / f"{area}.txt").read_text("utf-8").splitlines()
    )
    return [line for line in lines if line]


def all_areas() -> list[str]:
    return sorted(path.stem for path in AREAS.glob("*.txt"))


def baseline_path(test: str) -> Path:
    return EXPECTED / f"{test}.txt"


def _escape(name: str) -> str:
    return name.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")


def _unescape(line: str) -> str:
    out, i = [], 0
    while i < len(line):
        if line[i] == "\\" and i + 1 < len(line) and line[i + 1] in "\\nr":
            out.append({"\\": "\\", "n": "\n", "r": "\r"}[line[i + 1]])
            i += 2
        else:
            out.append(line[i])
            i += 1
    return "".join(out)


def read_baseline(test: str) -> set[str]:
    """Expected failures of one file: one subtest name a line (\\n, \\r and \\\\ escaped)."""
    path = baseline_path(test)
    if not path.is_file():
        return set()
    names = set()
    for line in path.read_bytes().decode("utf-8").split("\n"):  # (no newline translation)
        if line and not line.startswith("# "):
            names.add(_unescape(line))
    return names


def write_baseline(result: FileResult) -> None:
    path = baseline_path(result.path)
    failures = sorted(result.failures)
    if not failures:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    header = f"# {result.path}: {result.passed}/{len(result.subtests)} pass; expected failures below\n"
    path.write_text(header + "".join(_escape(name) + "\n" for name in failures), "utf-8")


@dataclass
class Comparison:
    new_failures: set[str]
    newly_passing: set[str]


def compare(result: FileResult) -> Comparison:
    expected = read_baseline(result.path)
    failures = result.failures
    return Comparison(failures - expected, expected - failures)


def available(test: str) -> bool:
    return locate(test).is_file()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", help="areas (tests/wpt/areas/*.txt) or WPT test paths")
    parser.add_argument("--update", action="store_true", help="rewrite the expected-failure baselines")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every failing subtest")
    parser.add_argument(
        "--peer", help="run the files under another runtime instead, e.g. 'node' or 'deno run -A'"
    )
    options = parser.parse_args(argv)
    targets = options.targets or all_areas()
    total_pass = total = 0
    for target in targets:
        files = area_files(target) if (AREAS / f"{target}.txt").is_file() else [target]
        area_pass = area_total = 0
        for test in files:
            if not available(test):
                print(f"  missing {test} (tests/wpt/README.md: fetching the suite)")
                continue
            result = run_peer(test, options.peer.split()) if options.peer else run_file(test)
            area_pass += result.passed
            area_total += len(result.subtests)
            if options.update and not options.peer:
                write_baseline(result)
            if options.verbose or result.harness != "OK":
                print(
                    f"  {test}: {result.harness} {result.message[:200]} {result.passed}/{len(result.subtests)}"
                )
            if options.verbose:
                for name, status in sorted(result.subtests.items()):
                    if status != "PASS":
                        print(f"      {status} {name[:160]}")
        print(f"{target}: {area_pass}/{area_total} subtests pass")
        total_pass += area_pass
        total += area_total
    print(f"total: {total_pass}/{total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
