"""What the demo functions do, independent of HTTP and of AWS wiring.

The lock item is the only shared state. Writers (trigger, destroy, cleanup) change it with
conditional writes that name what they expect; readers derive the current state from the lock
and the provider's pipeline (states.observed), because they may not write.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

from common.http import ApiError

from demo import logs as job_logs
from demo import states
from demo.config import DemoSettings
from demo.providers.base import Pipeline, PipelineProvider, ProviderError, Status
from demo.states import DESTROYABLE, State
from demo.store import DemoStore, LimitReached, Lock, LockChanged, LockHeld

STATUS_FIELDS = (
    "state",
    "started_at",
    "elapsed_s",
    "expires_at",
    "remaining_s",
    "environment_url",
    "pipeline_id",
    "provider",
    "last_error",
)
STUCK_ERROR = "The pipeline did not finish in time and was treated as failed."


def iso(epoch: int | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def requester_hash(visitor: str) -> str:
    """What history keeps of who asked: a one-way digest of the daily visitor id."""
    return hashlib.sha256(f"demo-requester\n{visitor}".encode()).hexdigest()[:16]


def idle_status() -> dict[str, Any]:
    return {name: None for name in STATUS_FIELDS} | {"state": State.IDLE.value}


class ActiveDemo(ApiError):
    """POST /demo while a demo is active: a 409 that carries the current deployment."""

    def __init__(self, current: dict[str, Any]) -> None:
        super().__init__(
            HTTPStatus.CONFLICT, "demo_active", "A demo is already running; see `current`."
        )
        self.current = current


class CleanupFailed(Exception):
    """A cleanup could not destroy a deployment; the event goes to the dead-letter queue."""


@dataclass
class Observation:
    lock: Lock
    pipeline: Pipeline | None
    state: State
    error: str | None


class DemoService:
    def __init__(
        self,
        settings: DemoSettings,
        store: DemoStore,
        provider: Callable[[], PipelineProvider],
        *,
        clock: Callable[[], float] = time.time,
        scheduler: Callable[[str, int], Any] | None = None,
        dead_letter: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self._provider = provider
        self._clock = clock
        self._scheduler = scheduler
        self._dead_letter = dead_letter

    def now(self) -> int:
        return int(self._clock())

    def _now_ms(self) -> int:
        return int(self._clock() * 1000)

    # -- reading -------------------------------------------------------------------------------

    def observe(self) -> Observation | None:
        lock = self.store.get()
        if lock is None:
            return None
        pipeline, error = None, lock.last_error
        if lock.pipeline_id and not lock.failed:
            try:
                pipeline = self._provider().pipeline(lock.pipeline_id)
            except ProviderError as failure:
                error = failure.message
        status = pipeline.status if pipeline else None
        return Observation(lock, pipeline, states.observed(lock.phase, status, lock.failed), error)

    def _environment_url(self, seen: Observation) -> str | None:
        if seen.pipeline is not None and seen.pipeline.environment_url:
            return seen.pipeline.environment_url
        if self.settings.environment_url:
            return self.settings.environment_url.replace("{deployment_id}", seen.lock.deployment_id)
        return None

    def status_of(self, seen: Observation | None) -> dict[str, Any]:
        if seen is None or seen.state is State.IDLE:
            return idle_status()
        lock, now = seen.lock, self.now()
        return {
            "state": seen.state.value,
            "started_at": iso(lock.started_at),
            "elapsed_s": max(0, now - lock.started_at),
            "expires_at": iso(lock.deadline),
            "remaining_s": max(0, lock.deadline - now),
            "environment_url": self._environment_url(seen) if seen.state is State.READY else None,
            "pipeline_id": lock.pipeline_id,
            "provider": lock.provider,
            "last_error": seen.error,
        }

    def status(self) -> dict[str, Any]:
        return self.status_of(self.observe())

    def pipeline(self) -> dict[str, Any]:
        seen = self.observe()
        pipeline = seen.pipeline if seen else None
        status = pipeline.status if pipeline else None
        return {
            "pipeline": pipeline_json(pipeline) if pipeline else None,
            "is_running": status is not None and not status.is_finished,
            "is_success": status is Status.SUCCESS,
            "is_failed": status in (Status.FAILED, Status.CANCELED),
            "is_finished": status is not None and status.is_finished,
        }

    def logs(self) -> dict[str, Any]:
        lock = self.store.get()
        if lock is None or not lock.pipeline_id:
            return {"jobs": []}
        try:
            found = self._provider().logs(lock.pipeline_id)
        except ProviderError as failure:
            raise _provider_api_error(failure) from failure
        return {"jobs": job_logs.present(found)}

    def history(self) -> dict[str, Any]:
        runs = []
        for run in self.store.history(self.now()):
            entry = run.as_json()
            entry["started_at"], entry["finished_at"] = iso(run.started_at), iso(run.finished_at)
            runs.append(entry)
        return {"runs": runs}

    # -- writing -------------------------------------------------------------------------------

    def start(self, visitor: str, day: str, counters_expire_at: int) -> dict[str, Any]:
        now = self.now()
        lock = Lock(
            deployment_id=uuid.uuid4().hex[:16],
            phase="deploy",
            provider=self.settings.provider,
            started_at=now,
            deadline=now + self.settings.max_duration_s,
            requester=requester_hash(visitor),
            phase_started_at=self._now_ms(),
        )
        try:
            self._acquire(lock, visitor, day, counters_expire_at)
        except LimitReached as limit:
            message = (
                "You have started as many demos as allowed today; try again tomorrow."
                if limit.which == "visitor"
                else "The demo has reached its limit for today; try again tomorrow."
            )
            raise ApiError(HTTPStatus.TOO_MANY_REQUESTS, "demo_quota", message) from limit
        try:
            pipeline_id = self._provider().trigger("deploy", lock.deployment_id)
        except ProviderError as failure:
            self.store.release(replace(lock, last_error=failure.message), "failed", now, self._days)
            raise _provider_api_error(failure) from failure
        started = replace(lock, pipeline_id=pipeline_id)
        self.store.update(started, expected=lock)
        if self._scheduler is not None:
            self._scheduler(lock.deployment_id, lock.deadline)
        return self.status_of(Observation(started, None, State.QUEUED, None))

    def _acquire(self, lock: Lock, visitor: str, day: str, counters_expire_at: int) -> None:
        limits = {
            "day": day,
            "visitor": visitor,
            "visitor_quota": self.settings.visitor_daily_quota,
            "daily_cap": self.settings.daily_cap,
            "counters_expire_at": counters_expire_at,
        }
        try:
            self.store.acquire(lock, **limits)
            return
        except LockHeld as held:
            seen = self.observe()
            if seen is None or seen.state is not State.IDLE:
                raise ActiveDemo(self.status_of(seen)) from held
        # The previous demo is destroyed but nobody has released its lock yet: release it (a
        # conditional delete naming it) and take the lock with the same conditional put.
        self._finish(seen)
        try:
            self.store.acquire(lock, **limits)
        except LockHeld as held:
            raise ActiveDemo(self.status_of(self.observe())) from held

    @property
    def _days(self) -> int:
        return self.settings.history_days

    def destroy(self) -> dict[str, Any]:
        seen = self.observe()
        if seen is None:
            raise ApiError(HTTPStatus.CONFLICT, "nothing_to_destroy", "No demo is running.")
        if seen.state is State.IDLE:
            self._finish(seen)
            raise ApiError(HTTPStatus.CONFLICT, "nothing_to_destroy", "No demo is running.")
        if seen.state is State.DESTROYING:
            raise ApiError(
                HTTPStatus.CONFLICT, "destroy_running", "The demo is already being destroyed."
            )
        return self._destroy(seen)

    def _destroy(self, seen: Observation) -> dict[str, Any]:
        try:
            states.check(seen.state, State.DESTROYING)
        except states.InvalidTransition as invalid:
            raise ApiError(HTTPStatus.CONFLICT, "invalid_state", str(invalid)) from invalid
        lock = seen.lock
        claimed = replace(
            lock, phase="destroy", phase_started_at=self._now_ms(), failed=False, last_error=None
        )
        try:
            self.store.update(claimed, expected=lock)
        except LockChanged as changed:
            raise ApiError(
                HTTPStatus.CONFLICT, "destroy_running", "The demo is already being destroyed."
            ) from changed
        provider = self._provider()
        try:
            running = self._unfinished_pipeline(seen, provider)
            if running is not None:
                provider.cancel(running.id)
            pipeline_id = provider.trigger("destroy", lock.deployment_id)
        except ProviderError as failure:
            self.store.update(replace(claimed, failed=True, last_error=failure.message), claimed)
            raise _provider_api_error(failure) from failure
        destroying = replace(claimed, pipeline_id=pipeline_id)
        self.store.update(destroying, expected=claimed)
        return self.status_of(Observation(destroying, None, State.DESTROYING, None))

    @staticmethod
    def _unfinished_pipeline(seen: Observation, provider: PipelineProvider) -> Pipeline | None:
        """The lock's pipeline if it still runs, also behind a failure (a cancel that was not
        confirmed): a destroy must never run beside it."""
        pipeline = seen.pipeline
        if pipeline is None and seen.lock.pipeline_id:
            pipeline = provider.pipeline(seen.lock.pipeline_id)
        if pipeline is None or pipeline.status.is_finished:
            return None
        return pipeline

    def _finish(self, seen: Observation) -> None:
        outcome = "failed" if seen.lock.last_error else "completed"
        # Another writer may have finished it first; either way it is released.
        with contextlib.suppress(LockChanged):
            self.store.release(seen.lock, outcome, self.now(), self._days)

    def _mark_failed(self, seen: Observation, message: str) -> Observation:
        lock = replace(seen.lock, failed=True, last_error=message)
        self.store.update(lock, expected=seen.lock)
        return Observation(lock, None, State.FAILED, message)

    # -- cleanup -------------------------------------------------------------------------------

    def cleanup(self, action: str, deployment_id: str | None = None) -> dict[str, Any]:
        """expire (one deployment, from its schedule), sweep (hourly) or force (nightly)."""
        seen = self.observe()
        if seen is None:
            return {"action": action, "result": "nothing to do"}
        lock, now = seen.lock, self.now()
        if seen.state is State.IDLE:
            self._finish(seen)
            return {"action": action, "result": "released", "deployment_id": lock.deployment_id}
        if action == "expire" and deployment_id != lock.deployment_id:
            return {"action": action, "result": "nothing to do"}
        running_since = lock.phase_started_at // 1000
        stuck = (
            seen.state in (State.QUEUED, State.DEPLOYING, State.DESTROYING)
            and now - running_since > self.settings.deploy_timeout_s
        )
        if stuck:
            seen = self._mark_failed(seen, STUCK_ERROR)
        due = (
            action in ("expire", "force")
            or seen.state is State.FAILED
            or (now >= lock.deadline and seen.state in DESTROYABLE)
        )
        if not due or seen.state not in DESTROYABLE:
            return {"action": action, "result": "kept", "state": seen.state.value}
        try:
            self._destroy(seen)
        except ApiError as error:
            self._report(action, lock.deployment_id, error.message)
            raise CleanupFailed(error.message) from error
        return {"action": action, "result": "destroying", "deployment_id": lock.deployment_id}

    def _report(self, action: str, deployment_id: str, message: str) -> None:
        if self._dead_letter is not None:
            self._dead_letter({"action": action, "deployment_id": deployment_id, "error": message})


def pipeline_json(pipeline: Pipeline) -> dict[str, Any]:
    stages = []
    for stage in pipeline.stages:
        jobs = [job for job in pipeline.jobs if job.stage == stage]
        stages.append(
            {
                "name": stage,
                "status": _stage_status([job.status for job in jobs]).value,
                "jobs": [
                    {
                        "id": job.id,
                        "name": job.name,
                        "status": job.status.value,
                        "duration_s": job.duration_s,
                    }
                    for job in jobs
                ],
            }
        )
    return {
        "id": pipeline.id,
        "status": pipeline.status.value,
        "duration_s": pipeline.duration_s,
        "web_url": pipeline.web_url,
        "stages": stages,
    }


def _stage_status(statuses: list[Status]) -> Status:
    for worst in (Status.FAILED, Status.CANCELED, Status.RUNNING, Status.MANUAL, Status.QUEUED):
        if worst in statuses:
            return worst
    if statuses and all(s is Status.SKIPPED for s in statuses):
        return Status.SKIPPED
    return Status.SUCCESS


def _provider_api_error(failure: ProviderError) -> ApiError:
    return ApiError(
        HTTPStatus.SERVICE_UNAVAILABLE if failure.retryable else HTTPStatus.BAD_GATEWAY,
        f"provider_{failure.code}",
        failure.message,
    )
