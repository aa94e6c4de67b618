"""GitHub Actions: a workflow_dispatch starts the run, the REST API follows it.

The dispatch asks for `return_run_details`, so GitHub answers 200 with the run id. Where it still
answers 204, the run is found by the correlation id the dispatch passed as an input, which the
workflow must show in its run name:

    on:
      workflow_dispatch:
        inputs: {action: {required: true}, deployment_id: {required: true}, correlation_id: {}}
    run-name: demo ${{ inputs.action }} ${{ inputs.deployment_id }} ${{ inputs.correlation_id }}

Job logs come as a 302 to a plain-text URL that expires after about a minute: it is fetched at
once, on the server, without the token.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from demo.providers.base import Action, Job, JobLog, Pipeline, ProviderError, Status
from demo.providers.http import HttpApi, confirm_stopped, log_tail, numeric_id

TokenSource = Callable[[], str]

API_VERSION = "2026-03-10"
RUN_STATUSES = {
    "requested": Status.QUEUED,
    "queued": Status.QUEUED,
    "pending": Status.QUEUED,
    "waiting": Status.MANUAL,  # a deployment protection rule waits for a reviewer
    "in_progress": Status.RUNNING,
}
CONCLUSIONS = {
    "success": Status.SUCCESS,
    "neutral": Status.SUCCESS,
    "failure": Status.FAILED,
    "timed_out": Status.FAILED,
    "startup_failure": Status.FAILED,
    "stale": Status.FAILED,
    "cancelled": Status.CANCELED,
    "skipped": Status.SKIPPED,
    "action_required": Status.MANUAL,
}
STAGE_SEPARATOR = " / "  # reusable workflows and matrices name jobs "caller / job"


def map_status(status: str | None, conclusion: str | None) -> Status:
    if status == "completed":
        # A completed run without a conclusion is still being finalised.
        return CONCLUSIONS.get(conclusion or "", Status.RUNNING)
    return RUN_STATUSES.get(status or "", Status.RUNNING)


def _seconds(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    parse = datetime.fromisoformat
    return (parse(end.replace("Z", "+00:00")) - parse(start.replace("Z", "+00:00"))).total_seconds()


class GitHubActionsProvider:
    name = "github"

    def __init__(
        self,
        repository: str,
        workflow: str,
        *,
        token: TokenSource,
        ref: str = "main",
        api_url: str = "https://api.github.com",
        api: HttpApi | None = None,
        find_run_attempts: int = 10,
        poll_interval_s: float = 2.0,
        confirm_timeout_s: float = 15.0,
    ) -> None:
        self.repo_path = f"/repos/{repository}"
        self.workflow = workflow
        self.token = token
        self.ref = ref
        self.api = api or HttpApi("GitHub", api_url)
        self.find_run_attempts = find_run_attempts
        self.poll_interval_s = poll_interval_s
        self.confirm_timeout_s = confirm_timeout_s

    def _auth(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.token()}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
        }

    def _explain(self, response: Any) -> ProviderError | None:
        # GitHub signals an exhausted primary rate limit with 403, not 429.
        if response.status_code == 403 and response.headers.get("X-RateLimit-Remaining") == "0":
            reset = response.headers.get("X-RateLimit-Reset", "")
            return ProviderError(
                "rate_limited",
                f"GitHub's rate limit is exhausted; it resets at {reset or 'a later time'}.",
                retryable=True,
            )
        return None

    def _get(self, path: str, **kwargs: Any) -> Any:
        response = self.api.request(
            "GET", f"{self.repo_path}{path}", auth=self._auth, explain=self._explain, **kwargs
        )
        return self.api.json(response)

    def trigger(self, action: Action, deployment_id: str) -> str:
        correlation_id = uuid.uuid4().hex
        dispatched_at = datetime.now(UTC)
        response = self.api.request(
            "POST",
            f"{self.repo_path}/actions/workflows/{self.workflow}/dispatches",
            json={
                "ref": self.ref,
                "inputs": {
                    "action": action,
                    "deployment_id": deployment_id,
                    "correlation_id": correlation_id,
                },
                "return_run_details": True,
            },
            auth=self._auth,
            ok=(200, 204),
            explain=self._explain,
        )
        if response.status_code == 200:
            run_id = self.api.json(response).get("workflow_run_id")
            if run_id:
                return str(run_id)
        return self._find_run(correlation_id, dispatched_at)

    def _find_run(self, correlation_id: str, dispatched_at: datetime) -> str:
        since = (dispatched_at - timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
        for attempt in range(self.find_run_attempts):
            runs = self._get(
                f"/actions/workflows/{self.workflow}/runs",
                params={"event": "workflow_dispatch", "created": f">={since}", "per_page": 50},
            ).get("workflow_runs", [])
            for run in runs:
                if correlation_id in f"{run.get('display_title', '')} {run.get('name', '')}":
                    return str(run["id"])
            if attempt + 1 < self.find_run_attempts:
                time.sleep(self.poll_interval_s)
        raise ProviderError(
            "run_not_found",
            "GitHub accepted the dispatch but no run shows its correlation id; the workflow's "
            "run-name must include inputs.correlation_id.",
            retryable=True,
        )

    def _run(self, run_id: str) -> dict[str, Any]:
        run_id = numeric_id(run_id, "GitHub")
        run = self._get(f"/actions/runs/{run_id}")
        if not isinstance(run, dict) or "status" not in run:
            raise ProviderError("bad_response", "GitHub sent a run without a status.")
        return run

    def _jobs(self, run_id: str) -> list[dict[str, Any]]:
        run_id = numeric_id(run_id, "GitHub")
        body = self._get(f"/actions/runs/{run_id}/jobs", params={"per_page": 100})
        return sorted(body.get("jobs", []), key=lambda job: job.get("id", 0))

    def pipeline(self, pipeline_id: str) -> Pipeline:
        run = self._run(pipeline_id)
        jobs = tuple(
            Job(
                id=str(job["id"]),
                name=job.get("name", ""),
                stage=job.get("name", "").split(STAGE_SEPARATOR)[0],
                status=map_status(job.get("status"), job.get("conclusion")),
                duration_s=_seconds(job.get("started_at"), job.get("completed_at")),
            )
            for job in self._jobs(pipeline_id)
        )
        status = map_status(run.get("status"), run.get("conclusion"))
        return Pipeline(
            id=str(run["id"]),
            status=status,
            jobs=jobs,
            web_url=run.get("html_url"),
            duration_s=_seconds(run.get("run_started_at"), run.get("updated_at"))
            if status.is_finished
            else None,
        )

    def _job_log(self, job_id: str) -> str:
        response = self.api.request(
            "GET",
            f"{self.repo_path}/actions/jobs/{job_id}/logs",
            auth=self._auth,
            explain=self._explain,
            ok=(200, 302, 404, 410),  # 404/410: no log yet, or expired
            allow_redirects=False,
        )
        if response.status_code in (404, 410):
            return ""
        if response.status_code == 200:
            return log_tail(response)
        location = response.headers.get("Location")
        if not location:
            raise ProviderError("bad_response", "GitHub redirected a job log to nowhere.")
        # The signed URL is the credential: no token goes with it, and it is used at once.
        return log_tail(self.api.request("GET", location, ok=(200,), stream=True))

    def logs(self, pipeline_id: str) -> list[JobLog]:
        return [
            JobLog(job_id=str(job["id"]), name=job.get("name", ""), text=self._job_log(job["id"]))
            for job in self._jobs(pipeline_id)
        ]

    def cancel(self, pipeline_id: str) -> None:
        """Ask GitHub to cancel, then read the run back until it has stopped."""
        pipeline_id = numeric_id(pipeline_id, "GitHub")
        self.api.request(
            "POST",
            f"{self.repo_path}/actions/runs/{pipeline_id}/cancel",
            auth=self._auth,
            explain=self._explain,
            ok=(202, 409),  # 409: the run had already completed
        )
        confirm_stopped(
            lambda: self._run(pipeline_id)["status"],
            lambda status: status == "completed",
            what=f"GitHub run {pipeline_id}",
            timeout_s=self.confirm_timeout_s,
            interval_s=self.poll_interval_s,
        )
