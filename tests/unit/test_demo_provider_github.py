"""The GitHub Actions provider against a fake GitHub speaking the Actions REST API on loopback."""

from __future__ import annotations

import json

import pytest
from demo.providers.base import ProviderError, Status
from demo.providers.github import GitHubActionsProvider, map_status
from demo.providers.http import HttpApi
from demo_fake_ci import AnswersAfter, github_job, github_run, sent
from werkzeug import Response

REPO = "/repos/author/demo"
TOKEN = "ghs_" + "A1b2C3d4E5" * 3 + "f6G7h8"


@pytest.fixture
def github(httpserver_ipv4):
    def make(**options) -> GitHubActionsProvider:
        api = HttpApi("GitHub", httpserver_ipv4.url_for("/"), timeout=(1.0, 0.5))
        return GitHubActionsProvider(
            "author/demo",
            "demo.yml",
            token=lambda: TOKEN,
            api=api,
            find_run_attempts=3,
            poll_interval_s=0.05,
            confirm_timeout_s=0.3,
            **options,
        )

    return make


def test_dispatch_returns_the_run_id_from_the_run_details(httpserver_ipv4, github):
    httpserver_ipv4.expect_request(
        f"{REPO}/actions/workflows/demo.yml/dispatches", method="POST"
    ).respond_with_json(
        {
            "workflow_run_id": 16123456789,
            "run_url": "https://api.github.com/repos/author/demo/actions/runs/16123456789",
            "html_url": "https://github.com/author/demo/actions/runs/16123456789",
        }
    )
    assert github().trigger("deploy", "dep-1") == "16123456789"
    request = sent(httpserver_ipv4, "/dispatches")
    body = request.get_json()
    assert body["return_run_details"] is True and body["ref"] == "main"
    assert body["inputs"]["action"] == "deploy" and body["inputs"]["deployment_id"] == "dep-1"
    assert len(body["inputs"]["correlation_id"]) == 32
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["X-GitHub-Api-Version"]


def test_a_204_dispatch_finds_the_run_by_its_correlation_id(httpserver_ipv4, github):
    dispatched = {}

    def dispatch(request):
        dispatched.update(request.get_json()["inputs"])
        return Response(status=204)

    def runs(request):
        assert request.args["event"] == "workflow_dispatch"
        assert request.args["created"].startswith(">=")
        title = f"demo deploy dep-1 {dispatched['correlation_id']}"
        body = {
            "total_count": 2,
            "workflow_runs": [
                github_run(501, "queued", title="demo deploy dep-0 someone-elses-run"),
                github_run(502, "queued", title=title),
            ],
        }
        return Response(json.dumps(body), content_type="application/json")

    httpserver_ipv4.expect_request(
        f"{REPO}/actions/workflows/demo.yml/dispatches", method="POST"
    ).respond_with_handler(dispatch)
    httpserver_ipv4.expect_request(f"{REPO}/actions/workflows/demo.yml/runs").respond_with_handler(
        runs
    )
    assert github().trigger("deploy", "dep-1") == "502"


def test_a_204_dispatch_whose_run_never_shows_is_reported(httpserver_ipv4, github):
    httpserver_ipv4.expect_request(
        f"{REPO}/actions/workflows/demo.yml/dispatches", method="POST"
    ).respond_with_data("", status=204)
    httpserver_ipv4.expect_request(f"{REPO}/actions/workflows/demo.yml/runs").respond_with_json(
        {"total_count": 0, "workflow_runs": []}
    )
    with pytest.raises(ProviderError) as caught:
        github().trigger("deploy", "dep-1")
    assert caught.value.code == "run_not_found" and "correlation_id" in caught.value.message


def test_a_run_that_fails_midway_with_its_logs(httpserver_ipv4, github):
    httpserver_ipv4.expect_request(f"{REPO}/actions/runs/502").respond_with_json(
        github_run(502, "completed", "failure")
    )
    httpserver_ipv4.expect_request(f"{REPO}/actions/runs/502/jobs").respond_with_json(
        {
            "total_count": 3,
            "jobs": [
                github_job(903, 502, "verify", "completed", "skipped"),
                github_job(901, 502, "plan", "completed", "success"),
                github_job(902, 502, "apply", "completed", "failure"),
            ],
        }
    )
    blob = httpserver_ipv4.url_for("/blob/job-logs.txt")
    for job_id in (901, 902):
        httpserver_ipv4.expect_request(f"{REPO}/actions/jobs/{job_id}/logs").respond_with_data(
            "", status=302, headers={"Location": f"{blob}?job={job_id}&sig=c2lnbmF0dXJl"}
        )
    httpserver_ipv4.expect_request(f"{REPO}/actions/jobs/903/logs").respond_with_json(
        {"message": "Not Found"}, status=404
    )

    def blob_text(request):
        assert "Authorization" not in request.headers  # the signed URL is the credential
        lines = {"901": "Plan: 7 to add", "902": "Error: creating S3 Bucket: AccessDenied"}
        return Response(f"2026-11-25T16:00:06Z {lines[request.args['job']]}\n")

    httpserver_ipv4.expect_request("/blob/job-logs.txt").respond_with_handler(blob_text)
    provider = github()
    pipeline = provider.pipeline("502")
    assert pipeline.status is Status.FAILED
    assert [(j.name, j.status) for j in pipeline.jobs] == [
        ("plan", Status.SUCCESS),
        ("apply", Status.FAILED),
        ("verify", Status.SKIPPED),
    ]
    assert pipeline.jobs[0].duration_s == 42
    assert pipeline.duration_s == 150
    logs = provider.logs("502")
    assert "Plan: 7 to add" in logs[0].text
    assert "AccessDenied" in logs[1].text
    assert logs[2].text == ""


@pytest.mark.parametrize(
    ("status", "conclusion", "expected"),
    [
        ("queued", None, Status.QUEUED),
        ("requested", None, Status.QUEUED),
        ("pending", None, Status.QUEUED),
        ("waiting", None, Status.MANUAL),
        ("in_progress", None, Status.RUNNING),
        ("completed", None, Status.RUNNING),
        ("completed", "success", Status.SUCCESS),
        ("completed", "neutral", Status.SUCCESS),
        ("completed", "failure", Status.FAILED),
        ("completed", "timed_out", Status.FAILED),
        ("completed", "startup_failure", Status.FAILED),
        ("completed", "cancelled", Status.CANCELED),
        ("completed", "skipped", Status.SKIPPED),
        ("completed", "action_required", Status.MANUAL),
    ],
)
def test_status_and_conclusion_map_onto_the_vocabulary(status, conclusion, expected):
    assert map_status(status, conclusion) is expected


def test_cancel_is_confirmed_by_reading_the_run_back(httpserver_ipv4, github):
    httpserver_ipv4.expect_ordered_request(
        f"{REPO}/actions/runs/502/cancel", method="POST"
    ).respond_with_json({}, status=202)
    httpserver_ipv4.expect_ordered_request(f"{REPO}/actions/runs/502").respond_with_json(
        github_run(502, "in_progress")
    )
    httpserver_ipv4.expect_ordered_request(f"{REPO}/actions/runs/502").respond_with_json(
        github_run(502, "completed", "cancelled")
    )
    github().cancel("502")


def test_a_cancel_that_does_not_take_is_reported(httpserver_ipv4, github):
    httpserver_ipv4.expect_request(
        f"{REPO}/actions/runs/502/cancel", method="POST"
    ).respond_with_json({}, status=202)
    httpserver_ipv4.expect_request(f"{REPO}/actions/runs/502").respond_with_json(
        github_run(502, "in_progress")
    )
    with pytest.raises(ProviderError) as caught:
        github().cancel("502")
    assert caught.value.code == "cancel_not_confirmed"


@pytest.mark.parametrize(
    ("status", "headers", "code", "retryable"),
    [
        (401, {}, "unauthorized", False),
        (403, {"X-RateLimit-Remaining": "12"}, "forbidden", False),
        (
            403,
            {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1764086400"},
            "rate_limited",
            True,
        ),
        (404, {}, "not_found", False),
        (429, {"Retry-After": "60"}, "rate_limited", True),
        (500, {}, "provider_unavailable", True),
        (503, {}, "provider_unavailable", True),
    ],
)
def test_http_failures_become_provider_errors(
    httpserver_ipv4, github, status, headers, code, retryable
):
    httpserver_ipv4.expect_request(f"{REPO}/actions/runs/502").respond_with_json(
        {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"},
        status=status,
        headers=headers,
    )
    with pytest.raises(ProviderError) as caught:
        github().pipeline("502")
    assert (caught.value.code, caught.value.retryable) == (code, retryable)
    assert TOKEN not in caught.value.message


def test_an_expired_log_url_is_a_clear_error(httpserver_ipv4, github):
    httpserver_ipv4.expect_request(f"{REPO}/actions/runs/502/jobs").respond_with_json(
        {"total_count": 1, "jobs": [github_job(901, 502, "apply", "completed", "success")]}
    )
    httpserver_ipv4.expect_request(f"{REPO}/actions/jobs/901/logs").respond_with_data(
        "", status=302, headers={"Location": httpserver_ipv4.url_for("/blob/gone")}
    )
    httpserver_ipv4.expect_request("/blob/gone").respond_with_data(
        "<Error><Code>AuthenticationFailed</Code></Error>", status=403
    )
    with pytest.raises(ProviderError) as caught:
        github().logs("502")
    assert caught.value.code == "forbidden"


def test_a_slow_github_is_a_retryable_timeout(httpserver_ipv4, github):
    slow = AnswersAfter(1.0)
    httpserver_ipv4.expect_request(f"{REPO}/actions/runs/502").respond_with_handler(slow)
    with pytest.raises(ProviderError) as caught:
        github().pipeline("502")
    assert (caught.value.code, caught.value.retryable) == ("timeout", True)
    assert slow.finished.wait(5)
