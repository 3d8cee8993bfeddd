"""Web Platform Tests in a real zigttp runtime: no subtest may fail that the baseline does
not list (tests/wpt/expected/), and subtests that now pass are reported so the baseline can
be tightened (`python -m tests.wpt.runner --update AREA`). See tests/wpt/README.md."""

from __future__ import annotations

import warnings

import pytest

from tests.wpt import runner

FILES = [(area, test) for area in runner.all_areas() for test in runner.area_files(area)]


@pytest.mark.parametrize(("area", "test"), FILES, ids=[test for _area, test in FILES])
def test_no_new_failures(area: str, test: str) -> None:
    if not runner.available(test):
        pytest.skip(f"{test} is not in tests/wpt/suite (README: fetching the suite)")
    result = runner.run_file(test)
    outcome = runner.compare(result)
    if outcome.newly_passing:
        names = "\n  ".join(sorted(outcome.newly_passing))
        warnings.warn(
            f"{test}: now passing, tighten its baseline "
            f"(python -m tests.wpt.runner --update {area}):\n  {names}",
            stacklevel=1,
        )
    assert not outcome.new_failures, (
        f"{test} ({result.harness} {result.message}): new failures:\n  "
        + "\n  ".join(
            f"{result.subtests.get(name, result.harness)} {name}" for name in sorted(outcome.new_failures)
        )
        + ("\nconsole:\n  " + "\n  ".join(result.console[-20:]) if result.console else "")
    )


def test_runner_reports_a_new_failure_and_a_new_pass(tmp_path, monkeypatch) -> None:
    """The runner itself: its self-test file has one deliberate failure. With an empty
    baseline that failure is new; with a baseline naming a passing subtest, it is reported
    as newly passing."""
    monkeypatch.setattr(runner, "EXPECTED", tmp_path)
    result = runner.run_file("zigttp/runner-selftest.any.js")
    assert result.harness == "OK"
    assert result.subtests == {
        "a passing subtest": "PASS",
        "a failing subtest (baselined)": "FAIL",
        "an asynchronous subtest": "PASS",
    }
    assert runner.compare(result).new_failures == {"a failing subtest (baselined)"}
    runner.write_baseline(result)
    assert runner.compare(result).new_failures == set()
    (tmp_path / "zigttp" / "runner-selftest.any.js.txt").write_text(
        "# header\na failing subtest (baselined)\na passing subtest\n", "utf-8"
    )
    assert runner.compare(result).newly_passing == {"a passing subtest"}


def test_a_crashing_file_is_a_harness_failure() -> None:
    """A test file that throws at load is an ERROR of the whole file, not a silent pass."""
    result = runner.run_file("zigttp/runner-load-error.any.js")
    assert result.harness == "ERROR"
    assert runner.HARNESS_ENTRY in result.failures


def test_baseline_names_keep_cr_lf_and_backslashes(tmp_path, monkeypatch) -> None:
    """WPT names hold control characters ("forbidden to use value \\rtrace"): a baseline line
    must come back as exactly that name, not split at the CR."""
    monkeypatch.setattr(runner, "EXPECTED", tmp_path)
    names = {"value \rtrace", "value \nconnect", "te\\xt/plain \\n", "form\x0cfeed", "plain"}
    result = runner.FileResult("x/y.any.js", "OK", subtests={name: "FAIL" for name in names})
    runner.write_baseline(result)
    assert runner.read_baseline("x/y.any.js") == names


def test_a_long_timeout_file_gets_the_long_deadline() -> None:
    """`// META: timeout=long` (RSA key generation files) gets WPT's long deadline, the rest
    the normal one, under zigttp and under a peer alike."""
    assert runner.timeout_of("zigttp/runner-long-timeout.any.js") == runner.LONG_TIMEOUT
    assert runner.timeout_of("zigttp/runner-selftest.any.js") == runner.FILE_TIMEOUT
    assert runner.LONG_TIMEOUT > runner.FILE_TIMEOUT
    assert runner.run_file("zigttp/runner-long-timeout.any.js").passed == 1
