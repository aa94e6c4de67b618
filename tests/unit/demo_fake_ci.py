"""What GitLab REST v4 and the GitHub Actions REST API answer, trimmed, for the fake servers.

The shapes follow the documented responses (GitLab: Pipelines, Jobs, Pipeline triggers; GitHub:
Workflows, Workflow runs, Workflow jobs), with the fields the providers read and some they do not.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from werkzeug import Request, Response

SHA = "b83d6e391c22777fca1ed3012fce84f633d7fed0"
USER = {"id": 1, "username": "author", "name": "Author", "state": "active"}


def gitlab_pipeline(pipeline_id: int, status: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": pipeline_id,
        "iid": 12,
        "project_id": 21,
        "sha": SHA,
        "ref": "main",
        "status": status,
        "source": "trigger",
        "created_at": "2026-11-25T16:00:00.000Z",
        "updated_at": "2026-11-25T16:01:00.000Z",
        "web_url": f"https://gitlab.example.com/author/demo/-/pipelines/{pipeline_id}",
        "before_sha": "0000000000000000000000000000000000000000",
        "tag": False,
        "yaml_errors": None,
        "user": USER,
        "started_at": "2026-11-25T16:00:02.000Z",
        "finished_at": None,
        "committed_at": None,
        "duration": None,
        "queued_duration": 0.4,
        "coverage": None,
        "detailed_status": {"icon": f"status_{status}", "text": status, "group": status},
        **extra,
    }


def gitlab_job(job_id: int, name: str, stage: str, status: str, duration: float | None = None):
    return {
        "id": job_id,
        "status": status,
        "stage": stage,
        "name": name,
        "ref": "main",
        "tag": False,
        "coverage": None,
        "allow_failure": False,
        "created_at": "2026-11-25T16:00:00.000Z",
        "started_at": "2026-11-25T16:00:03.000Z" if duration is not None else None,
        "finished_at": None,
        "erased_at": None,
        "duration": duration,
        "queued_duration": 0.2,
        "user": USER,
        "commit": {"id": SHA, "short_id": SHA[:8], "title": "Demo stack"},
        "pipeline": {"id": 287, "project_id": 21, "ref": "main", "sha": SHA, "status": status},
        "web_url": f"https://gitlab.example.com/author/demo/-/jobs/{job_id}",
        "project": {"ci_job_token_scope_enabled": False},
        "artifacts": [],
        "runner": None,
        "failure_reason": "script_failure" if status == "failed" else None,
        "tag_list": [],
    }


def github_run(run_id: int, status: str, conclusion: str | None = None, title: str = "demo"):
    return {
        "id": run_id,
        "name": "demo",
        "display_title": title,
        "node_id": "WFR_kwLOAbCdEf8AAAAB",
        "head_branch": "main",
        "head_sha": SHA,
        "path": ".github/workflows/demo.yml",
        "run_number": 562,
        "event": "workflow_dispatch",
        "status": status,
        "conclusion": conclusion,
        "workflow_id": 159038,
        "url": f"https://api.github.com/repos/author/demo/actions/runs/{run_id}",
        "html_url": f"https://github.com/author/demo/actions/runs/{run_id}",
        "created_at": "2026-11-25T16:00:00Z",
        "updated_at": "2026-11-25T16:02:30Z",
        "run_attempt": 1,
        "run_started_at": "2026-11-25T16:00:00Z",
        "jobs_url": f"https://api.github.com/repos/author/demo/actions/runs/{run_id}/jobs",
        "logs_url": f"https://api.github.com/repos/author/demo/actions/runs/{run_id}/logs",
    }


def github_job(job_id: int, run_id: int, name: str, status: str, conclusion: str | None = None):
    finished = status == "completed"
    return {
        "id": job_id,
        "run_id": run_id,
        "workflow_name": "demo",
        "head_branch": "main",
        "run_url": f"https://api.github.com/repos/author/demo/actions/runs/{run_id}",
        "run_attempt": 1,
        "node_id": "CR_kwDOAbCdEf8AAAAB",
        "head_sha": SHA,
        "url": f"https://api.github.com/repos/author/demo/actions/jobs/{job_id}",
        "html_url": f"https://github.com/author/demo/actions/runs/{run_id}/job/{job_id}",
        "status": status,
        "conclusion": conclusion,
        "created_at": "2026-11-25T16:00:01Z",
        "started_at": "2026-11-25T16:00:05Z",
        "completed_at": "2026-11-25T16:00:47Z" if finished else None,
        "name": name,
        "steps": [
            {
                "name": "Set up job",
                "status": "completed",
                "conclusion": "success",
                "number": 1,
                "started_at": "2026-11-25T16:00:05Z",
                "completed_at": "2026-11-25T16:00:06Z",
            }
        ],
        "check_run_url": f"https://api.github.com/repos/author/demo/check-runs/{job_id}",
        "labels": ["ubuntu-latest"],
        "runner_id": 7,
        "runner_name": "GitHub Actions 7",
        "runner_group_id": 2,
        "runner_group_name": "GitHub Actions",
    }


class AnswersAfter:
    """A handler that answers JSON only after the client should have given up.

    The fake server handles one request at a time: a test waits for `finished` before it ends,
    so the next test does not queue behind the sleeping answer.
    """

    def __init__(self, seconds: float, body: Any = None) -> None:
        self.seconds = seconds
        self.body = body or {}
        self.finished = threading.Event()

    def __call__(self, request: Request) -> Response:
        time.sleep(self.seconds)
        self.finished.set()
        return Response(json.dumps(self.body), content_type="application/json")


def sent(server: Any, path_end: str) -> Request:
    """The request the client sent to a path ending so (a slow answer to an earlier test may
    land in the server's log after it was cleared, so the log's order proves nothing)."""
    return next(request for request, _ in server.log if request.path.endswith(path_end))
