"""On-machine pipelines (the engine of the command and local providers) and the command provider."""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest
from demo.providers.base import ProviderError, Status
from demo.providers.command import CommandProvider
from demo.providers.process import JobSpec, ProcessPipelines

WAIT_S = 30


def wait_finished(provider, pipeline_id: str):
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        pipeline = provider.pipeline(pipeline_id)
        if pipeline.is_finished:
            return pipeline
        time.sleep(0.05)
    pytest.fail(f"pipeline {pipeline_id} did not finish in {WAIT_S}s")


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_a_pipeline_that_fails_midway_skips_the_rest(tmp_path):
    pipelines = ProcessPipelines(tmp_path)
    pipeline_id = pipelines.start(
        "deploy",
        "dep-1",
        [
            JobSpec("init", "prepare", python("print('initialised')")),
            JobSpec("apply", "deploy", python("import sys; print('half'); sys.exit(3)")),
            JobSpec("check", "verify", python("print('never')")),
        ],
        environment_url="http://demo.example/",
    )
    pipeline = wait_finished(pipelines, pipeline_id)
    assert pipeline.status is Status.FAILED and pipeline.is_failed
    assert [j.status for j in pipeline.jobs] == [Status.SUCCESS, Status.FAILED, Status.SKIPPED]
    assert pipeline.stages == ["prepare", "deploy", "verify"]
    assert pipeline.environment_url is None  # only a successful deploy has one
    logs = pipelines.logs(pipeline_id)
    assert "initialised" in logs[0].text
    assert "half" in logs[1].text and "exit code 3" in logs[1].text
    assert logs[2].text == ""


def test_a_successful_deploy_has_durations_and_its_environment(tmp_path):
    pipelines = ProcessPipelines(tmp_path)
    pipeline_id = pipelines.start(
        "deploy",
        "dep-1",
        [JobSpec("only", "deploy", python("print('done')"))],
        environment_url="http://demo.example/",
    )
    pipeline = wait_finished(pipelines, pipeline_id)
    assert pipeline.is_success and pipeline.environment_url == "http://demo.example/"
    assert pipeline.duration_s is not None and pipeline.jobs[0].duration_s is not None


def test_output_is_streamed_while_the_job_runs(tmp_path):
    pipelines = ProcessPipelines(tmp_path)
    code = "import time; print('first', flush=True); time.sleep(30)"
    pipeline_id = pipelines.start("deploy", "dep-1", [JobSpec("slow", "deploy", python(code))])
    deadline = time.monotonic() + WAIT_S
    while "first" not in pipelines.logs(pipeline_id)[0].text:
        assert time.monotonic() < deadline, "no output while the job runs"
        time.sleep(0.05)
    assert pipelines.pipeline(pipeline_id).status is Status.RUNNING
    pipelines.cancel(pipeline_id)
    pipeline = pipelines.pipeline(pipeline_id)
    assert pipeline.status is Status.CANCELED
    assert [j.status for j in pipeline.jobs] == [Status.CANCELED]


def test_a_runner_that_dies_fails_its_pipeline(tmp_path):
    pipelines = ProcessPipelines(tmp_path)
    pipeline_id = pipelines.start(
        "deploy", "dep-1", [JobSpec("slow", "deploy", python("import time; time.sleep(30)"))]
    )
    while pipelines.pipeline(pipeline_id).status is Status.QUEUED:
        time.sleep(0.05)
    pid = int((tmp_path / pipeline_id / "runner.pid").read_text())
    os.killpg(pid, signal.SIGKILL)
    assert wait_finished(pipelines, pipeline_id).status is Status.FAILED


def test_an_unknown_pipeline_is_not_found(tmp_path):
    with pytest.raises(ProviderError) as caught:
        ProcessPipelines(tmp_path).pipeline("../etc")
    assert caught.value.code == "not_found"


def test_the_command_provider_passes_action_and_deployment_in_the_environment(tmp_path):
    provider = CommandProvider(
        tmp_path,
        {
            "deploy": 'echo "$DEMO_ACTION $DEMO_DEPLOYMENT_ID"',
            "destroy": "echo gone; exit 1",
        },
        environment_url="https://demo.example/{deployment_id}/",
    )
    deploy = wait_finished(provider, provider.trigger("deploy", "dep-7"))
    assert deploy.is_success and deploy.environment_url == "https://demo.example/dep-7/"
    assert "deploy dep-7" in provider.logs(deploy.id)[0].text
    destroy = wait_finished(provider, provider.trigger("destroy", "dep-7"))
    assert destroy.status is Status.FAILED and destroy.environment_url is None


def test_the_command_provider_needs_both_commands(tmp_path):
    with pytest.raises(ProviderError) as caught:
        CommandProvider(tmp_path, {"deploy": "true"})
    assert caught.value.code == "misconfigured" and "destroy" in caught.value.message
