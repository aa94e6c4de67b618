"""What every pipeline provider offers the demo API: one interface, one status vocabulary.

GitLab, GitHub Actions, the local Terraform runner and the configurable command provider each
implement `PipelineProvider`; the demo functions never see a provider's own status words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal, Protocol

Action = Literal["deploy", "destroy"]


class Status(StrEnum):
    """The one vocabulary provider statuses map onto."""

    QUEUED = "queued"  # created, pending, waiting_for_resource, scheduled, GitHub queued/waiting
    MANUAL = "manual"  # waits for a person; not final
    RUNNING = "running"  # running, preparing, canceling (not final), GitHub in_progress
    SUCCESS = "success"
    FAILED = "failed"
    CANCELED = "canceled"
    SKIPPED = "skipped"

    @property
    def is_finished(self) -> bool:
        return self in FINISHED


FINISHED = frozenset({Status.SUCCESS, Status.FAILED, Status.CANCELED, Status.SKIPPED})


@dataclass(frozen=True)
class Job:
    id: str
    name: str
    stage: str
    status: Status
    duration_s: float | None = None


@dataclass(frozen=True)
class Pipeline:
    id: str
    status: Status
    jobs: tuple[Job, ...] = ()
    web_url: str | None = None
    duration_s: float | None = None
    # Where the deployed demo answers, once a deploy pipeline has succeeded (None otherwise).
    environment_url: str | None = None

    @property
    def stages(self) -> list[str]:
        """Stage names in the order their first job appears."""
        return list(dict.fromkeys(job.stage for job in self.jobs))

    @property
    def is_finished(self) -> bool:
        return self.status.is_finished

    @property
    def is_running(self) -> bool:
        return not self.status.is_finished

    @property
    def is_success(self) -> bool:
        return self.status is Status.SUCCESS

    @property
    def is_failed(self) -> bool:
        return self.status in (Status.FAILED, Status.CANCELED)


@dataclass(frozen=True)
class JobLog:
    job_id: str
    name: str
    text: str  # raw provider text: the caller masks and trims it
    extra: dict[str, str] = field(default_factory=dict)


class ProviderError(Exception):
    """A provider call failed; `code` is a stable machine word, `message` a sentence for people.

    `retryable` says whether the same call may succeed later (429, 5xx, timeouts).
    """

    def __init__(self, code: str, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retryable = retryable


class PipelineProvider(Protocol):
    name: str

    def trigger(self, action: Action, deployment_id: str) -> str:
        """Start a pipeline that deploys or destroys `deployment_id`; return its pipeline id."""

    def pipeline(self, pipeline_id: str) -> Pipeline:
        """The pipeline with its jobs, statuses mapped onto `Status`."""

    def logs(self, pipeline_id: str) -> list[JobLog]:
        """Every job's log, in job order."""

    def cancel(self, pipeline_id: str) -> None:
        """Cancel a running pipeline and confirm it with a follow-up read."""
