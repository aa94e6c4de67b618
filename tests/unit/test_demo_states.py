"""The deployment state machine: every allowed move, every refused one, and derived states."""

from __future__ import annotations

import itertools

import pytest
from demo import states
from demo.providers.base import Status
from demo.states import State

ALLOWED = {
    (State.IDLE, State.QUEUED),
    (State.QUEUED, State.DEPLOYING),
    (State.QUEUED, State.READY),
    (State.QUEUED, State.FAILED),
    (State.QUEUED, State.DESTROYING),
    (State.DEPLOYING, State.READY),
    (State.DEPLOYING, State.FAILED),
    (State.DEPLOYING, State.DESTROYING),
    (State.READY, State.DESTROYING),
    (State.DESTROYING, State.IDLE),
    (State.DESTROYING, State.FAILED),
    (State.FAILED, State.DESTROYING),
}
ALL_PAIRS = list(itertools.product(State, State))


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
def test_allowed_transition(current: State, target: State) -> None:
    states.check(current, target)


@pytest.mark.parametrize(("current", "target"), [p for p in ALL_PAIRS if p not in ALLOWED])
def test_every_other_transition_is_refused(current: State, target: State) -> None:
    with pytest.raises(states.InvalidTransition) as refused:
        states.check(current, target)
    assert (refused.value.current, refused.value.target) == (current, target)


def test_destroy_may_start_from_exactly_the_states_that_hold_resources() -> None:
    assert {State.QUEUED, State.DEPLOYING, State.READY, State.FAILED} == states.DESTROYABLE


@pytest.mark.parametrize(
    ("phase", "status", "failed", "expected"),
    [
        ("deploy", None, False, State.QUEUED),
        ("deploy", Status.QUEUED, False, State.QUEUED),
        ("deploy", Status.MANUAL, False, State.QUEUED),
        ("deploy", Status.RUNNING, False, State.DEPLOYING),
        ("deploy", Status.SUCCESS, False, State.READY),
        ("deploy", Status.FAILED, False, State.FAILED),
        ("deploy", Status.CANCELED, False, State.FAILED),
        ("deploy", Status.RUNNING, True, State.FAILED),
        ("destroy", None, False, State.DESTROYING),
        ("destroy", Status.RUNNING, False, State.DESTROYING),
        ("destroy", Status.SUCCESS, False, State.IDLE),
        ("destroy", Status.FAILED, False, State.FAILED),
        ("destroy", None, True, State.FAILED),
    ],
)
def test_observed_state(phase: str, status: Status | None, failed: bool, expected: State) -> None:
    assert states.observed(phase, status, failed) is expected
