"""invoke deploy / destroy through cloudfolio.deploy: plan summaries, guards, a local round trip."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest

from cloudfolio import deploy, terraform
from cloudfolio.errors import CloudfolioError
from cloudfolio.local.contract import StackInfo


def test_unknown_environment_is_refused():
    with pytest.raises(CloudfolioError, match="choose one of local, staging, prod"):
        deploy.deploy("qa", skip_package=True)


def test_remote_environments_are_never_destroyed_from_tasks():
    with pytest.raises(deploy.DeployError, match="refusing to destroy prod"):
        deploy.destroy("prod")


def test_backend_settings_come_from_the_environment():
    config = deploy.backend_config(
        "staging", {deploy.STATE_BUCKET_ENV: "state", deploy.STATE_REGION_ENV: "eu-west-1"}
    )
    assert config == {"bucket": "state", "key": "cloudfolio/staging.tfstate", "region": "eu-west-1"}


def test_missing_backend_settings_say_what_to_do():
    with pytest.raises(deploy.DeployError, match=deploy.STATE_BUCKET_ENV):
        deploy.backend_config("prod", {})


def test_plan_description_lists_each_change():
    summary = terraform.PlanSummary(
        1, 1, 0, 0, [("aws_lambda_function.a", "create"), ("aws_iam_role.b", "update")]
    )
    text = deploy.describe_plan(summary)
    assert text.splitlines() == [
        "Plan: 1 to add, 1 to change, 0 to destroy",
        "    + aws_lambda_function.a",
        "    ~ aws_iam_role.b",
    ]
    assert "No changes" in deploy.describe_plan(terraform.PlanSummary(0, 0, 0, 0))


@pytest.mark.infra
def test_local_deploy_is_idempotent_and_destroy_tears_down(
    terraform_bin: str,
    moto_endpoint: str,
    artifacts_dir: Path,
    applied_local,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    """A deploy of envs/local without functions (the emulator cannot run them anyway), its plan
    again (nothing to do) and its destroy; the functions' variables are derived all the same."""
    StackInfo("http://127.0.0.1:8000", "", moto_endpoint, "", None, 0.0, "applied").write(tmp_path)
    monkeypatch.setattr(deploy, "LOCAL_STACK_DIR", tmp_path)
    monkeypatch.setattr(deploy, "LOCAL_STATE_FILE", tmp_path / "terraform.tfstate")
    monkeypatch.setattr(deploy, "LOCAL_DATA_DIR", tmp_path / "terraform")
    monkeypatch.setattr(deploy, "ARTIFACTS_DIR", artifacts_dir)
    # A separate prefix keeps this round trip apart from the session's applied stack.
    monkeypatch.setattr(
        deploy,
        "_local_variables",
        _with(deploy._local_variables, name_prefix=PREFIX, enable_functions=False),
    )
    said: list[str] = []

    first = deploy.deploy("local", skip_package=True, say=said.append)
    assert first.applied
    assert first.summary.add > 0 and first.summary.destroy == 0
    assert first.outputs["table_name"] == f"{PREFIX}-data"
    assert first.outputs.get("api_id") is None
    functions = _client("lambda", moto_endpoint).list_functions()["Functions"]
    assert [f for f in functions if f["FunctionName"].startswith(PREFIX)] == []
    for name in ("function_environments", "table_name", "site_bucket", "cors_allowed_origins"):
        assert _as_applied(first.outputs[name]) == _as_applied(applied_local.outputs[name]), name

    again = deploy.deploy("local", plan_only=True, skip_package=True, say=said.append)
    assert again.summary.empty, deploy.describe_plan(again.summary)
    assert not again.applied
    assert any(line.startswith("Plan: ") for line in said)
    assert said[-1].startswith("No changes")

    deploy.destroy("local", say=said.append)
    assert f"{PREFIX}-data" not in _client("dynamodb", moto_endpoint).list_tables()["TableNames"]
    assert not (tmp_path / "terraform.tfstate").exists()


PREFIX = "cf-deploy-test"


def _as_applied(value: object) -> str:
    """The value as the session's stack (prefix cloudfolio-local) would have it."""
    return json.dumps(value, sort_keys=True).replace(PREFIX, "cloudfolio-local")


def _client(service: str, endpoint: str):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def _with(original, **extra):
    def variables() -> dict:
        return {**original(), **extra}

    return variables
