"""The inline-lane policy: probation on threads, demotion of slow paths, global switch-off."""

from __future__ import annotations

from zigttp.runtime.lanes import BUDGET, MAX_DEMOTIONS, PROBATION, SEVERE, STRIKES, LanePolicy


def _proven() -> LanePolicy:
    policy = LanePolicy(enabled=True)
    for _ in range(PROBATION):
        policy.record_thread_run(BUDGET / 10)
    return policy


def test_inline_needs_a_probation_of_fast_thread_runs() -> None:
    policy = LanePolicy(enabled=True)
    for _ in range(PROBATION - 1):
        policy.record_thread_run(BUDGET / 10)
    assert not policy.inline_allowed("/")
    policy.record_thread_run(BUDGET / 10)
    assert policy.inline_allowed("/")


def test_a_slow_thread_run_restarts_the_probation() -> None:
    policy = LanePolicy(enabled=True)
    for _ in range(PROBATION - 1):
        policy.record_thread_run(BUDGET / 10)
    policy.record_thread_run(BUDGET * 10)
    policy.record_thread_run(BUDGET / 10)
    assert not policy.inline_allowed("/")


def test_a_path_slow_several_times_in_a_row_is_demoted_and_others_stay_inline() -> None:
    policy = _proven()
    for _ in range(STRIKES - 1):
        policy.record_inline_run("/slow", BUDGET * 5)
    assert policy.inline_allowed("/slow")  # one preempted run is not enough
    policy.record_inline_run("/slow", BUDGET * 5)
    assert not policy.inline_allowed("/slow")
    assert policy.inline_allowed("/fast")


def test_fast_runs_in_between_forgive_no_strike() -> None:
    policy = _proven()
    for _ in range(STRIKES):
        assert policy.inline_allowed("/x")
        policy.record_inline_run("/x", BUDGET * 5)
        for _ in range(100):
            policy.record_inline_run("/x", BUDGET / 10)
    assert not policy.inline_allowed("/x")


def test_one_severe_run_demotes_at_once() -> None:
    policy = _proven()
    policy.record_inline_run("/report", SEVERE)
    assert not policy.inline_allowed("/report?month=1")
    assert policy.inline_allowed("/fast")


def test_many_demotions_switch_the_inline_lane_off() -> None:
    policy = _proven()
    for index in range(MAX_DEMOTIONS):
        for _ in range(STRIKES):
            policy.record_inline_run(f"/p{index}", BUDGET * 5)
    assert not policy.inline_allowed("/never-seen")


def test_disabled_policy_never_allows_inline() -> None:
    policy = LanePolicy(enabled=False)
    for _ in range(PROBATION * 2):
        policy.record_thread_run(0.0)
    assert not policy.inline_allowed("/")


def test_demote_sends_a_path_to_the_threads_at_once() -> None:
    policy = _proven()
    policy.demote("/spin?ms=3000")
    assert not policy.inline_allowed("/spin") and policy.inline_allowed("/other")
