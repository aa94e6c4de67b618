"""The deployment state machine: the states a visitor sees and the only moves between them.

Every write to the lock item names the state it moves from, so a move this table does not allow
is refused (HTTP 409) instead of being applied.
"""

from __future__ import annotations

from enum import StrEnum

from demo.providers.base import Status


class State(StrEnum):
    IDLE = "idle"
    QUEUED = "queued"
    DEPLOYING = "deploying"
    READY = "ready"
    DESTROYING = "destroying"
    FAILED = "failed"


TRANSITIONS: dict[State, frozenset[State]] = {
    State.IDLE: frozenset({State.QUEUED}),
    State.QUEUED: frozenset({State.DEPLOYING, State.READY, State.FAILED, State.DESTROYING}),
    State.DEPLOYING: frozenset({State.READY, State.FAILED, State.DESTROYING}),
    State.READY: frozenset({State.DESTROYING}),
    State.DESTROYING: frozenset({State.IDLE, State.FAILED}),
    State.FAILED: frozenset({State.DESTROYING}),
}
# States that hold resources (or may): the ones a destroy may start from.
DESTROYABLE = frozenset(s for s, targets in TRANSITIONS.items() if State.DESTROYING in targets)


class InvalidTransition(Exception):
    def __init__(self, current: State, target: State) -> None:
        super().__init__(f"a deployment cannot go from {current} to {target}")
        self.current = current
        self.target = target


def check(current: State, target: State) -> None:
    if target not in TRANSITIONS[current]:
        raise InvalidTransition(current, target)


def observed(phase: str, status: Status | None, forced_failure: bool = False) -> State:
    """The state of a held lock, from its phase and its pipeline's status.

    The status readers may not write the lock, so what a pipeline has done since the last write
    is derived here rather than stored.
    """
    if forced_failure:
        return State.FAILED
    if phase == "destroy":
        if status is None or not status.is_finished:
            return State.DESTROYING
        return State.IDLE if status is Status.SUCCESS else State.FAILED
    if status is None or status in (Status.QUEUED, Status.MANUAL):
        return State.QUEUED
    if status is Status.RUNNING:
        return State.DEPLOYING
    return State.READY if status is Status.SUCCESS else State.FAILED
