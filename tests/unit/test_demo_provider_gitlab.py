"""The GitLab provider against a fake GitLab speaking REST v4 on loopback."""

from __future__ import annotations

import pytest
from demo.providers.base import ProviderError, Status
from demo.providers.gitlab import STATUSES, GitLabProvider
from demo.providers.http import HttpApi
from demo_fake_ci import AnswersAfter, gitlab_job, gitlab_pipeline, sent

PROJECT = "author/demo"
API = "/api/v4/projects/author/demo"  # the server sees the %2F of the id decoded
TRIGGER = "glptt-0123456789abcdef0123456789abcdef01234567"
READ = "glpat-readapiREADAPIread01"
CANCEL = "glpat-apiscopeAPISCOPEapi01"


@pytest.fixture
def gitlab(httpserver_ipv4):
    def make(**options) -> GitLabProvider:
        api = HttpApi("GitLab", httpserver_ipv4.url_for("/api/v4"), timeout=(1.0, 0.5))
        return GitLabProvider(
            PROJECT,
            trigger_token=lambda: TRIGGER,
            read_token=lambda: READ,
            cancel_token=lambda: CANCEL,
            api=api,
            confirm_timeout_s=0.3,
            poll_interval_s=0.05,
            **options,
        )

    return make


def test_trigger_sends_the_action_as_a_variable_with_the_trigger_token(httpserver_ipv4, gitlab):
    httpserver_ipv4.expect_request(f"{API}/trigger/pipeline", method="POST").respond_with_json(
        gitlab_pipeline(287, "created"), status=201
    )
    assert gitlab().trigger("deploy", "dep-1") == "287"
    request = sent(httpserver_ipv4, "/trigger/pipeline")
    assert request.form.to_dict() == {
        "token": TRIGGER,
        "ref": "main",
        "variables[ACTION]": "deploy",
        "variables[DEPLOYMENT_ID]": "dep-1",
    }
    assert "author%2Fdemo" in request.environ["RAW_URI"]
    assert TRIGGER not in request.environ["RAW_URI"] and "PRIVATE-TOKEN" not in request.headers


def test_blocked_pipeline_variables_are_named_in_the_error(httpserver_ipv4, gitlab):
    httpserver_ipv4.expect_request(f"{API}/trigger/pipeline", method="POST").respond_with_json(
        {"message": {"base": ["Insufficient permissions to set pipeline variables"]}}, status=400
    )
    with pytest.raises(ProviderError) as caught:
        gitlab().trigger("destroy", "dep-1")
    assert caught.value.code == "variables_blocked"
    assert "ci_pipeline_variables_minimum_override_role" in caught.value.message
    assert not caught.value.retryable


def test_pipeline_maps_statuses_and_reads_with_the_read_token(httpserver_ipv4, gitlab):
    httpserver_ipv4.expect_request(f"{API}/pipelines/287").respond_with_json(
        gitlab_pipeline(287, "running")
    )
    httpserver_ipv4.expect_request(f"{API}/pipelines/287/jobs").respond_with_json(
        [  # GitLab lists the newest job first
            gitlab_job(903, "check-page", "verify", "created"),
            gitlab_job(902, "terraform-apply", "deploy", "waiting_for_resource"),
            gitlab_job(901, "terraform-init", "prepare", "success", 4.2),
        ]
    )
    pipeline = gitlab().pipeline("287")
    assert pipeline.status is Status.RUNNING
    assert pipeline.stages == ["prepare", "deploy", "verify"]
    assert [(j.name, j.status, j.duration_s) for j in pipeline.jobs] == [
        ("terraform-init", Status.SUCCESS, 4.2),
        ("terraform-apply", Status.QUEUED, None),
        ("check-page", Status.QUEUED, None),
    ]
    assert pipeline.web_url.endswith("/pipelines/287")
    assert all(request.headers["PRIVATE-TOKEN"] == READ for request, _ in httpserver_ipv4.log)


def test_a_pipeline_that_fails_midway(httpserver_ipv4, gitlab):
    httpserver_ipv4.expect_request(f"{API}/pipelines/287").respond_with_json(
        gitlab_pipeline(287, "failed", duration=31.0)
    )
    httpserver_ipv4.expect_request(f"{API}/pipelines/287/jobs").respond_with_json(
        [
            gitlab_job(903, "check-page", "verify", "skipped"),
            gitlab_job(902, "terraform-apply", "deploy", "failed", 25.0),
            gitlab_job(901, "terraform-init", "prepare", "success", 4.2),
        ]
    )
    httpserver_ipv4.expect_request(f"{API}/jobs/901/trace").respond_with_data(
        "Terraform has been successfully initialized!\n", content_type="text/plain"
    )
    httpserver_ipv4.expect_request(f"{API}/jobs/902/trace").respond_with_data(
        "\x1b[0KError: creating S3 Bucket: BucketAlreadyExists\n", content_type="text/plain"
    )
    httpserver_ipv4.expect_request(f"{API}/jobs/903/trace").respond_with_data("", status=404)
    provider = gitlab()
    pipeline = provider.pipeline("287")
    assert pipeline.status is Status.FAILED and pipeline.is_failed and pipeline.is_finished
    assert [j.status for j in pipeline.jobs] == [Status.SUCCESS, Status.FAILED, Status.SKIPPED]
    logs = provider.logs("287")
    assert [log.name for log in logs] == ["terraform-init", "terraform-apply", "check-page"]
    assert "BucketAlreadyExists" in logs[1].text
    assert logs[2].text == ""


@pytest.mark.parametrize(
    ("gitlab_status", "expected"),
    [
        ("created", Status.QUEUED),
        ("pending", Status.QUEUED),
        ("waiting_for_resource", Status.QUEUED),
        ("scheduled", Status.QUEUED),
        ("preparing", Status.RUNNING),
        ("running", Status.RUNNING),
        ("canceling", Status.RUNNING),
        ("manual", Status.MANUAL),
        ("success", Status.SUCCESS),
        ("failed", Status.FAILED),
        ("canceled", Status.CANCELED),
        ("skipped", Status.SKIPPED),
        ("a_status_added_later", Status.RUNNING),
    ],
)
def test_every_gitlab_status_maps_onto_the_vocabulary(
    httpserver_ipv4, gitlab, gitlab_status, expected
):
    httpserver_ipv4.expect_request(f"{API}/pipelines/5").respond_with_json(
        gitlab_pipeline(5, gitlab_status)
    )
    httpserver_ipv4.expect_request(f"{API}/pipelines/5/jobs").respond_with_json([])
    status = gitlab().pipeline("5").status
    assert status is expected
    assert status.is_finished == (expected in {"success", "failed", "canceled", "skipped"})


def test_canceling_is_not_final():
    assert not STATUSES["canceling"].is_finished
    assert not STATUSES["manual"].is_finished


def test_cancel_is_confirmed_by_a_follow_up_read(httpserver_ipv4, gitlab):
    httpserver_ipv4.expect_ordered_request(
        f"{API}/pipelines/287/cancel", method="POST"
    ).respond_with_json(gitlab_pipeline(287, "running"))
    httpserver_ipv4.expect_ordered_request(f"{API}/pipelines/287").respond_with_json(
        gitlab_pipeline(287, "canceling")
    )
    gitlab().cancel("287")
    cancel_request = sent(httpserver_ipv4, "/cancel")
    assert cancel_request.headers["PRIVATE-TOKEN"] == CANCEL


def test_a_cancel_answered_200_but_not_done_is_reported(httpserver_ipv4, gitlab):
    # GitLab answers 200 even when nothing was cancelled; the pipeline keeps running.
    httpserver_ipv4.expect_request(f"{API}/pipelines/287/cancel", method="POST").respond_with_json(
        gitlab_pipeline(287, "running")
    )
    httpserver_ipv4.expect_request(f"{API}/pipelines/287").respond_with_json(
        gitlab_pipeline(287, "running")
    )
    with pytest.raises(ProviderError) as caught:
        gitlab().cancel("287")
    assert caught.value.code == "cancel_not_confirmed" and caught.value.retryable


def test_cancel_without_an_api_token_says_so(gitlab):
    provider = gitlab()
    provider.cancel_token = None
    with pytest.raises(ProviderError) as caught:
        provider.cancel("287")
    assert caught.value.code == "not_supported"


@pytest.mark.parametrize(
    ("status", "body", "code", "retryable"),
    [
        (401, {"message": "401 Unauthorized"}, "unauthorized", False),
        (403, {"message": "403 Forbidden"}, "forbidden", False),
        (404, {"message": "404 Project Not Found"}, "not_found", False),
        (429, "Retry later", "rate_limited", True),
        (500, {"message": "500 Internal Server Error"}, "provider_unavailable", True),
        (502, "<html><body>502 Bad Gateway</body></html>", "provider_unavailable", True),
        (503, "", "provider_unavailable", True),
    ],
)
def test_http_failures_become_provider_errors(
    httpserver_ipv4, gitlab, status, body, code, retryable
):
    handler = httpserver_ipv4.expect_request(f"{API}/pipelines/287")
    if isinstance(body, dict):
        handler.respond_with_json(body, status=status, headers={"Retry-After": "30"})
    else:
        handler.respond_with_data(body, status=status, headers={"Retry-After": "30"})
    with pytest.raises(ProviderError) as caught:
        gitlab().pipeline("287")
    assert (caught.value.code, caught.value.retryable) == (code, retryable)
    assert "GitLab" in caught.value.message and str(status) in caught.value.message
    assert READ not in caught.value.message
    if code == "rate_limited":
        assert "Retry after 30 s" in caught.value.message


def test_a_token_echoed_in_an_error_body_is_masked(httpserver_ipv4, gitlab):
    httpserver_ipv4.expect_request(f"{API}/trigger/pipeline", method="POST").respond_with_json(
        {"message": f"token {TRIGGER} is not valid for ref main"}, status=400
    )
    with pytest.raises(ProviderError) as caught:
        gitlab().trigger("deploy", "dep-1")
    assert TRIGGER not in caught.value.message and "[MASKED]" in caught.value.message


def test_a_slow_gitlab_is_a_retryable_timeout(httpserver_ipv4, gitlab):
    slow = AnswersAfter(1.0)
    httpserver_ipv4.expect_request(f"{API}/pipelines/287").respond_with_handler(slow)
    with pytest.raises(ProviderError) as caught:
        gitlab().pipeline("287")
    assert (caught.value.code, caught.value.retryable) == ("timeout", True)
    assert slow.finished.wait(5)


def test_an_unreachable_gitlab_is_retryable():
    api = HttpApi("GitLab", "http://127.0.0.1:9/api/v4", timeout=(0.5, 0.5))
    provider = GitLabProvider(
        PROJECT, trigger_token=lambda: TRIGGER, read_token=lambda: READ, api=api
    )
    with pytest.raises(ProviderError) as caught:
        provider.pipeline("1")
    assert (caught.value.code, caught.value.retryable) == ("unreachable", True)


@pytest.mark.parametrize("pipeline_id", ["../../users", "287?x=1", ""])
def test_only_numeric_ids_reach_a_url(httpserver_ipv4, gitlab, pipeline_id):
    with pytest.raises(ProviderError) as caught:
        gitlab().pipeline(pipeline_id)
    assert caught.value.code == "not_found"
    assert httpserver_ipv4.log == []


def test_a_huge_trace_is_read_only_up_to_its_end(httpserver_ipv4, gitlab, monkeypatch):
    monkeypatch.setattr("demo.providers.http.MAX_LOG_BYTES", 100_000)
    httpserver_ipv4.expect_request(f"{API}/pipelines/287/jobs").respond_with_json(
        [gitlab_job(901, "terraform-apply", "deploy", "running", 3.0)]
    )
    trace = "".join(f"line {n}\n" for n in range(100_000)) + "Apply complete!\n"
    httpserver_ipv4.expect_request(f"{API}/jobs/901/trace").respond_with_data(
        trace, content_type="text/plain"
    )
    (log,) = gitlab().logs("287")
    assert log.text.endswith("line 99999\nApply complete!\n")
    assert len(log.text) == 100_000 and "line 1\n" not in log.text
