"""The counter as Lambda runs it: tracing on in Lambda, off (and free) everywhere else."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from cloudfolio import paths

# Runs in a fresh interpreter: an enabled X-Ray recorder patches botocore process-wide.
IN_LAMBDA = """
import json, sys
from moto import mock_aws
from tests.unit.conftest import api_event, invoke, load_function
from tests.unit import conftest

with mock_aws():
    import boto3
    conftest.create_table(boto3.client("dynamodb"), conftest.TABLE)
    conftest.create_table(boto3.client("dynamodb"), conftest.EPHEMERAL_TABLE)
    boto3.client("s3").create_bucket(Bucket=conftest.SITE_BUCKET)
    conftest.publish_pages(boto3.client("s3"), conftest.PAGES)
    module = load_function("counter")
    assert not module.tracer.disabled, "tracing should be on in Lambda"
    reply = invoke(module, api_event("POST", "/visits", {"path": "/traced/"}))
    print(json.dumps([reply.status, reply.body]))
"""


def _env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "POWERTOOLS_", "LAMBDA_"))
    }
    env.update(
        PYTHONPATH=os.pathsep.join([str(paths.ROOT), str(paths.BACKEND)]),
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        TABLE_NAME="cloudfolio-test",
        EPHEMERAL_TABLE_NAME="cloudfolio-test-ephemeral",
        SITE_BUCKET="cloudfolio-test-site",
        SITE_ID="test-site",
        **extra,
    )
    return env


def test_with_tracing_on_in_lambda_a_visit_still_counts() -> None:
    result = subprocess.run(
        [sys.executable, "-c", IN_LAMBDA],
        cwd=paths.ROOT,
        env=_env(LAMBDA_TASK_ROOT=str(paths.BACKEND), AWS_XRAY_CONTEXT_MISSING="IGNORE_ERROR"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.strip().splitlines()[-1]
        == '[200, {"views": 1, "page_views": 1, "visitors": 1}]'
    )


def test_outside_lambda_tracing_is_off_and_the_xray_recorder_never_loads() -> None:
    code = (
        "import sys; import counter.handler as handler\n"
        "assert handler.tracer.disabled\n"
        "assert 'aws_xray_sdk.core' not in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=paths.ROOT, env=_env(), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("environ", "disabled"),
    [
        ({}, True),  # outside Lambda: no X-Ray daemon listens
        ({"LAMBDA_TASK_ROOT": "/var/task"}, False),
        ({"LAMBDA_TASK_ROOT": "/var/task", "POWERTOOLS_TRACE_DISABLED": "true"}, True),
        ({"LAMBDA_TASK_ROOT": "/var/task", "AWS_SAM_LOCAL": "true"}, True),
        ({"POWERTOOLS_TRACE_DISABLED": "false"}, True),
    ],
)
def test_tracing_is_off_exactly_where_powertools_turns_it_off(environ, disabled, monkeypatch):
    from common.tracing import tracing_disabled

    for name in ("LAMBDA_TASK_ROOT", "POWERTOOLS_TRACE_DISABLED", "AWS_SAM_LOCAL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert tracing_disabled() is disabled
