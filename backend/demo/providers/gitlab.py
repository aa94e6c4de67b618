"""GitLab CI via REST v4: a pipeline trigger token starts pipelines, a read_api token reads them.

The pipeline receives ACTION=deploy|destroy and DEPLOYMENT_ID as pipeline variables. Tokens are
callables, so a rotated secret is picked up when the caller's cache expires; they travel only in
the request (form field or PRIVATE-TOKEN header), never in a URL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from demo.providers.base import Action, Job, JobLog, Pipeline, ProviderError, Status
from demo.providers.http import (
    HttpApi,
    confirm_stopped,
    log_tail,
    numeric_id,
    provider_message,
)

TokenSource = Callable[[], str]

# Every status GitLab documents for pipelines and jobs, plus the undocumented `canceling`,
# which is not final: jobs are still being stopped.
STATUSES = {
    "created": Status.QUEUED,
    "pending": Status.QUEUED,
    "waiting_for_resource": Status.QUEUED,
    "scheduled": Status.QUEUED,
    "preparing": Status.RUNNING,
    "waiting_for_callback": Status.RUNNING,
    "running": Status.RUNNING,
    "canceling": Status.RUNNING,
    "manual": Status.MANUAL,
    "success": Status.SUCCESS,
    "failed": Status.FAILED,
    "canceled": Status.CANCELED,
    "skipped": Status.SKIPPED,
}
JOBS_PER_PAGE = 100
MAX_JOB_PAGES = 5
VARIABLES_BLOCKED_HINT = (
    "GitLab refused the pipeline variables ACTION and DEPLOYMENT_ID: the project restricts who may "
    "set pipeline variables (ci_pipeline_variables_minimum_override_role). In Settings > CI/CD > "
    "Variables, let the trigger token's owner role (e.g. developer) override variables."
)


def map_status(value: str | None) -> Status:
    # An unknown word is a status GitLab added since: treat it as still under way.
    return STATUSES.get(value or "", Status.RUNNING)


class GitLabProvider:
    name = "gitlab"

    def __init__(
        self,
        project: str,
        *,
        trigger_token: TokenSource,
        read_token: TokenSource,
        cancel_token: TokenSource | None = None,
        ref: str = "main",
        base_url: str = "https://gitlab.com",
        api: HttpApi | None = None,
        confirm_timeout_s: float = 10.0,
        poll_interval_s: float = 1.0,
    ) -> None:
        self.project = quote(project, safe="")  # "group/project" or a numeric id
        self.trigger_token = trigger_token
        self.read_token = read_token
        self.cancel_token = cancel_token
        self.ref = ref
        self.api = api or HttpApi("GitLab", f"{base_url.rstrip('/')}/api/v4")
        self.confirm_timeout_s = confirm_timeout_s
        self.poll_interval_s = poll_interval_s

    def _read_auth(self) -> dict[str, str]:
        return {"PRIVATE-TOKEN": self.read_token()}

    def _explain_trigger(self, response: Any) -> ProviderError | None:
        said = provider_message(response)
        if response.status_code in (400, 403) and "variables" in said.lower():
            return ProviderError("variables_blocked", f"{VARIABLES_BLOCKED_HINT} ({said})")
        if response.status_code == 404:
            return ProviderError(
                "not_found",
                f"GitLab answered 404 to the trigger: the project {self.project!r} does not exist "
                "or the pipeline trigger token is wrong or revoked.",
            )
        return None

    def trigger(self, action: Action, deployment_id: str) -> str:
        response = self.api.request(
            "POST",
            f"/projects/{self.project}/trigger/pipeline",
            data={
                "token": self.trigger_token(),
                "ref": self.ref,
                "variables[ACTION]": action,
                "variables[DEPLOYMENT_ID]": deployment_id,
            },
            ok=(200, 201),
            explain=self._explain_trigger,
        )
        body = self.api.json(response)
        if not isinstance(body, dict) or "id" not in body:
            raise ProviderError("bad_response", "GitLab created a pipeline but sent no id.")
        return str(body["id"])

    def _jobs(self, pipeline_id: str) -> list[dict[str, Any]]:
        pipeline_id = numeric_id(pipeline_id, "GitLab")
        jobs: list[dict[str, Any]] = []
        page = "1"
        for _ in range(MAX_JOB_PAGES):
            response = self.api.request(
                "GET",
                f"/projects/{self.project}/pipelines/{pipeline_id}/jobs",
                params={"per_page": JOBS_PER_PAGE, "page": page},
                auth=self._read_auth,
            )
            batch = self.api.json(response)
            if not isinstance(batch, list):
                raise ProviderError("bad_response", "GitLab sent jobs that are not a list.")
            jobs += batch
            page = response.headers.get("X-Next-Page", "")
            if not page:
                break
        return sorted(jobs, key=lambda job: job.get("id", 0))

    def _pipeline_record(self, pipeline_id: str) -> dict[str, Any]:
        pipeline_id = numeric_id(pipeline_id, "GitLab")
        response = self.api.request(
            "GET",
            f"/projects/{self.project}/pipelines/{pipeline_id}",
            auth=self._read_auth,
        )
        record = self.api.json(response)
        if not isinstance(record, dict) or "status" not in record:
            raise ProviderError("bad_response", "GitLab sent a pipeline without a status.")
        return record

    def pipeline(self, pipeline_id: str) -> Pipeline:
        record = self._pipeline_record(pipeline_id)
        jobs = tuple(
            Job(
                id=str(job["id"]),
                name=job.get("name", ""),
                stage=job.get("stage", ""),
                status=map_status(job.get("status")),
                duration_s=job.get("duration"),
            )
            for job in self._jobs(pipeline_id)
        )
        return Pipeline(
            id=str(record["id"]),
            status=map_status(record["status"]),
            jobs=jobs,
            web_url=record.get("web_url"),
            duration_s=record.get("duration"),
        )

    def logs(self, pipeline_id: str) -> list[JobLog]:
        logs = []
        for job in self._jobs(pipeline_id):
            response = self.api.request(
                "GET",
                f"/projects/{self.project}/jobs/{job['id']}/trace",
                auth=self._read_auth,
                ok=(200, 404),  # a job that has not started has no trace yet
                stream=True,
            )
            text = log_tail(response) if response.status_code == 200 else ""
            logs.append(JobLog(job_id=str(job["id"]), name=job.get("name", ""), text=text))
        return logs

    def cancel(self, pipeline_id: str) -> None:
        """GitLab answers 200 to a cancel whatever the pipeline's state: read it back to know."""
        pipeline_id = numeric_id(pipeline_id, "GitLab")
        if self.cancel_token is None:
            raise ProviderError(
                "not_supported",
                "Cancelling a GitLab pipeline needs a token with the api scope; none is set.",
            )
        token = self.cancel_token
        self.api.request(
            "POST",
            f"/projects/{self.project}/pipelines/{pipeline_id}/cancel",
            auth=lambda: {"PRIVATE-TOKEN": token()},
            ok=(200, 201),
        )
        confirm_stopped(
            lambda: self._pipeline_record(pipeline_id)["status"],
            lambda status: status == "canceling" or map_status(status).is_finished,
            what=f"GitLab pipeline {pipeline_id}",
            timeout_s=self.confirm_timeout_s,
            interval_s=self.poll_interval_s,
        )
