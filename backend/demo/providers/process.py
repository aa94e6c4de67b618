"""Pipelines of commands on this machine: the engine of the command and local providers.

A pipeline is a directory: `pipeline.json` (its jobs and their statuses) and one log file per job.
`start` writes it and spawns a detached runner (`python -m demo.providers.runner DIR`) that runs the
jobs in order, streams each one's output into its log as it comes, and records every status
change with an atomic rename. Readers only read files, so any process (a gateway worker, a
test, `invoke`) can follow a pipeline that another process started.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from demo.providers.base import Action, Job, JobLog, Pipeline, ProviderError, Status

PIPELINE_FILE = "pipeline.json"
RUNNER_PID_FILE = "runner.pid"
BACKEND_DIR = Path(__file__).resolve().parents[2]
CANCEL_CONFIRM_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class JobSpec:
    """One command of a pipeline; argv and env are final (no placeholders left)."""

    name: str
    stage: str
    argv: Sequence[str]
    cwd: str | None = None
    env: Mapping[str, str] = field(default_factory=dict)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.write_text(json.dumps(data, indent=1))
    os.replace(partial, path)


def _seconds_between(start: str | None, end: str | None) -> float | None:
    if not start:
        return None
    finish = datetime.fromisoformat(end) if end else datetime.now(UTC)
    return round((finish - datetime.fromisoformat(start)).total_seconds(), 3)


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class ProcessPipelines:
    """Pipelines stored under `root`, run by detached runner processes."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def _dir(self, pipeline_id: str) -> Path:
        if not pipeline_id or "/" in pipeline_id or pipeline_id.startswith("."):
            raise ProviderError("not_found", f"There is no pipeline {pipeline_id!r}.")
        return self.root / pipeline_id

    def _read(self, pipeline_id: str) -> dict[str, Any]:
        path = self._dir(pipeline_id) / PIPELINE_FILE
        try:
            return json.loads(path.read_text())
        except FileNotFoundError:
            raise ProviderError("not_found", f"There is no pipeline {pipeline_id!r}.") from None

    def start(
        self,
        action: Action,
        deployment_id: str,
        jobs: Sequence[JobSpec],
        *,
        environment_url: str | None = None,
    ) -> str:
        """Record the pipeline and spawn its runner; return the pipeline id at once."""
        pipeline_id = f"{datetime.now(UTC):%Y%m%d%H%M%S}-{uuid.uuid4().hex[:8]}"
        directory = self._dir(pipeline_id)
        directory.mkdir(parents=True)
        record = {
            "id": pipeline_id,
            "action": action,
            "deployment_id": deployment_id,
            "environment_url": environment_url,
            "status": Status.QUEUED.value,
            "created_at": now_iso(),
            "started_at": None,
            "finished_at": None,
            "jobs": [
                {
                    **asdict(spec),
                    "argv": list(spec.argv),
                    "env": dict(spec.env),
                    "id": str(index + 1),
                    "status": Status.QUEUED.value,
                    "started_at": None,
                    "finished_at": None,
                    "exit_code": None,
                }
                for index, spec in enumerate(jobs)
            ],
        }
        write_json_atomic(directory / PIPELINE_FILE, record)
        runner_env = dict(os.environ)
        runner_env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(BACKEND_DIR), runner_env.get("PYTHONPATH", "")) if p
        )
        try:
            with open(directory / "runner.log", "ab") as runner_log:
                runner = subprocess.Popen(
                    [sys.executable, "-m", "demo.providers.runner", str(directory)],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=runner_log,
                    env=runner_env,
                    # Outlives the request that started it; one killpg stops it and its command.
                    start_new_session=True,
                )
        except OSError as error:
            raise ProviderError(
                "runner_failed", f"The pipeline runner did not start: {error}."
            ) from error
        (directory / RUNNER_PID_FILE).write_text(str(runner.pid))
        # Reap the runner when it ends, so a long-lived caller collects no zombies.
        threading.Thread(target=runner.wait, daemon=True).start()
        return pipeline_id

    def _runner_pid(self, pipeline_id: str) -> int | None:
        try:
            return int((self._dir(pipeline_id) / RUNNER_PID_FILE).read_text())
        except (FileNotFoundError, ValueError):
            return None

    def pipeline(self, pipeline_id: str) -> Pipeline:
        record = self._read(pipeline_id)
        status = Status(record["status"])
        pid = self._runner_pid(pipeline_id)
        if not status.is_finished and pid is not None and not _alive(pid):
            # Re-read first: the runner may have finished between the two reads.
            record = self._read(pipeline_id)
            status = Status(record["status"])
            if not status.is_finished:
                status = Status.FAILED  # the runner died without recording an outcome
        jobs = tuple(
            Job(
                id=job["id"],
                name=job["name"],
                stage=job["stage"],
                status=Status(job["status"]),
                duration_s=_seconds_between(job["started_at"], job["finished_at"]),
            )
            for job in record["jobs"]
        )
        succeeded = status is Status.SUCCESS and record["action"] == "deploy"
        return Pipeline(
            id=record["id"],
            status=status,
            jobs=jobs,
            web_url=None,
            duration_s=_seconds_between(record["started_at"], record["finished_at"]),
            environment_url=record.get("environment_url") if succeeded else None,
        )

    def logs(self, pipeline_id: str) -> list[JobLog]:
        record = self._read(pipeline_id)
        directory = self._dir(pipeline_id)
        result = []
        for job in record["jobs"]:
            path = directory / f"job-{job['id']}.log"
            text = path.read_text(errors="replace") if path.exists() else ""
            result.append(JobLog(job_id=job["id"], name=job["name"], text=text))
        return result

    def cancel(self, pipeline_id: str) -> None:
        """Stop the runner and its command, then confirm by reading the pipeline back."""
        record = self._read(pipeline_id)
        if Status(record["status"]).is_finished:
            return
        pid = self._runner_pid(pipeline_id)
        if _alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + CANCEL_CONFIRM_TIMEOUT_S
        while time.monotonic() < deadline:
            record = self._read(pipeline_id)
            if Status(record["status"]).is_finished:
                return
            if not _alive(pid):
                break
            time.sleep(0.1)
        record = self._read(pipeline_id)
        if Status(record["status"]).is_finished:
            return
        if _alive(pid):
            raise ProviderError(
                "cancel_not_confirmed",
                f"Pipeline {pipeline_id} was asked to stop but is still running.",
                retryable=True,
            )
        # The runner is gone without recording an outcome: record the cancel for it.
        for job in record["jobs"]:
            if not Status(job["status"]).is_finished:
                job["status"] = Status.CANCELED.value
                job["finished_at"] = job["finished_at"] or now_iso()
        record["status"] = Status.CANCELED.value
        record["finished_at"] = now_iso()
        write_json_atomic(self._dir(pipeline_id) / PIPELINE_FILE, record)


class ProcessProvider:
    """What the command and local providers share: their pipelines live in `self.pipelines`."""

    pipelines: ProcessPipelines

    def pipeline(self, pipeline_id: str) -> Pipeline:
        return self.pipelines.pipeline(pipeline_id)

    def logs(self, pipeline_id: str) -> list[JobLog]:
        return self.pipelines.logs(pipeline_id)

    def cancel(self, pipeline_id: str) -> None:
        self.pipelines.cancel(pipeline_id)
