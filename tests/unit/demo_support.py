"""A fake pipeline provider and fresh demo-function copies for the demo unit tests."""

from __future__ import annotations

import importlib.util
import itertools
import threading
from dataclasses import replace
from types import ModuleType

from demo.providers.base import Job, JobLog, Pipeline, ProviderError, Status

from tests.unit.conftest import BACKEND

_copies = itertools.count()


class FakeProvider:
    """Pipelines in memory; a test moves them along with `finish` / `set_status`."""

    name = "fake"

    def __init__(self) -> None:
        self.pipelines: dict[str, Pipeline] = {}
        self.triggered: list[tuple[str, str]] = []
        self.cancelled: list[str] = []
        self.job_logs: dict[str, list[JobLog]] = {}
        self.failure: ProviderError | None = None
        self.deployments: dict[str, tuple[str, str]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def trigger(self, action: str, deployment_id: str) -> str:
        if self.failure is not None:
            raise self.failure
        with self._lock:
            pipeline_id = f"p{next(self._ids)}"
            self.triggered.append((action, deployment_id))
        jobs = (Job(f"{pipeline_id}-1", action, action, Status.QUEUED),)
        self.pipelines[pipeline_id] = Pipeline(pipeline_id, Status.QUEUED, jobs)
        self.deployments[pipeline_id] = (action, deployment_id)
        return pipeline_id

    def set_status(self, pipeline_id: str, status: Status) -> None:
        pipeline = self.pipelines[pipeline_id]
        jobs = tuple(replace(job, status=status, duration_s=1.5) for job in pipeline.jobs)
        action, deployment_id = self.deployments[pipeline_id]
        url = f"http://demo.test/{deployment_id}/" if action == "deploy" else None
        environment_url = url if status is Status.SUCCESS else None
        self.pipelines[pipeline_id] = replace(
            pipeline, status=status, jobs=jobs, environment_url=environment_url
        )

    def last(self) -> str:
        return list(self.pipelines)[-1]

    def pipeline(self, pipeline_id: str) -> Pipeline:
        if self.failure is not None:
            raise self.failure
        return self.pipelines[pipeline_id]

    def logs(self, pipeline_id: str) -> list[JobLog]:
        return self.job_logs.get(pipeline_id, [])

    def cancel(self, pipeline_id: str) -> None:
        if self.failure is not None:
            raise self.failure
        self.cancelled.append(pipeline_id)
        self.set_status(pipeline_id, Status.CANCELED)


def load_demo(module: str) -> ModuleType:
    """A fresh copy of backend/demo/<module>.py: a new container of that function."""
    source = BACKEND / "demo" / f"{module}.py"
    spec = importlib.util.spec_from_file_location(f"demo.{module}_copy{next(_copies)}", source)
    assert spec is not None and spec.loader is not None
    copy = importlib.util.module_from_spec(spec)
    copy.__package__ = "demo"
    spec.loader.exec_module(copy)
    return copy
