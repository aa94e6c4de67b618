"""The local provider end to end: Terraform applies infra/demo to a moto server and destroys it."""

from __future__ import annotations

import time
import urllib.request

import boto3
import pytest
from demo.providers.base import Status
from demo.providers.local import LocalProvider, resource_name

pytestmark = [pytest.mark.infra, pytest.mark.timeout(600)]

DEPLOYMENT = "3f2a9c1e-7b4d-4e6f-8a2b-1c3d5e7f9a0b"
PIPELINE_TIMEOUT_S = 280


def run_to_the_end(provider: LocalProvider, action: str) -> tuple[object, float, str]:
    started = time.monotonic()
    pipeline_id = provider.trigger(action, DEPLOYMENT)
    while time.monotonic() - started < PIPELINE_TIMEOUT_S:
        pipeline = provider.pipeline(pipeline_id)
        if pipeline.is_finished:
            logs = "\n".join(log.text for log in provider.logs(pipeline_id))
            return pipeline, time.monotonic() - started, logs
        time.sleep(0.5)
    provider.cancel(pipeline_id)
    pytest.fail(f"{action} did not finish in {PIPELINE_TIMEOUT_S}s")


def test_deploy_serves_the_page_then_destroy_removes_everything(
    terraform_bin, moto_endpoint, tmp_path
):
    provider = LocalProvider(tmp_path, moto_endpoint)
    name = resource_name(DEPLOYMENT)
    aws = {
        "endpoint_url": moto_endpoint,
        "region_name": "us-east-1",
        "aws_access_key_id": "test",
        "aws_secret_access_key": "test",
    }

    deploy, deploy_s, deploy_log = run_to_the_end(provider, "deploy")
    assert deploy.status is Status.SUCCESS, deploy_log[-3000:]
    assert [job.name for job in deploy.jobs] == ["terraform-init", "terraform-apply", "check-page"]
    assert "Apply complete! Resources: 7 added" in deploy_log  # Terraform's own output
    with urllib.request.urlopen(deploy.environment_url, timeout=10) as response:
        page = response.read().decode()
        assert response.headers["Content-Type"].startswith("text/html")
    assert DEPLOYMENT in page and name in page
    table = boto3.client("dynamodb", **aws).describe_table(TableName=name)["Table"]
    assert table["TableStatus"] == "ACTIVE"

    destroy, destroy_s, destroy_log = run_to_the_end(provider, "destroy")
    assert destroy.status is Status.SUCCESS, destroy_log[-3000:]
    assert destroy.environment_url is None
    assert "Destroy complete! Resources: 7 destroyed." in destroy_log
    buckets = [b["Name"] for b in boto3.client("s3", **aws).list_buckets()["Buckets"]]
    assert name not in buckets
    assert name not in boto3.client("dynamodb", **aws).list_tables()["TableNames"]
    print(f"local demo: deploy {deploy_s:.1f}s, destroy {destroy_s:.1f}s")
