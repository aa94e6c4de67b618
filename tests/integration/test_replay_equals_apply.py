"""The local stack's fast path is only allowed because it builds exactly what Terraform builds."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import boto3
import pytest

from cloudfolio import packaging
from cloudfolio.local.contract import EMULATOR_CREDENTIALS, EMULATOR_ENV
from cloudfolio.local.emulator import Emulator, free_port
from cloudfolio.local.replay import RECORDED_APPLY
from cloudfolio.local.stack import StackConfig, apply_local_infra

pytestmark = pytest.mark.integration

VOLATILE = {
    "CreationDate", "CreatedDate", "LastModified", "CreationDateTime", "creationTime",
    "LastUpdateToPayPerRequestDateTime", "ResponseMetadata", "RevisionId", "CreateDate",
    "EarliestRestorableDateTime", "LatestRestorableDateTime", "LastUpdateStatus",
}  # fmt: skip


def scrub(value: Any) -> Any:
    """Drop what differs between two creations of the same thing (timestamps, request ids)."""
    if isinstance(value, dict):
        return {
            k: scrub(v)
            for k, v in value.items()
            if k not in VOLATILE and not isinstance(v, datetime)
        }
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


def bucket_policy(s3: Any, bucket: str) -> str | None:
    try:
        return s3.get_bucket_policy(Bucket=bucket)["Policy"]
    except s3.exceptions.ClientError as error:
        if error.response["Error"]["Code"] != "NoSuchBucketPolicy":
            raise
        return None


def snapshot(endpoint: str) -> dict[str, Any]:
    """Every resource kind infra/envs/local creates, as the emulator describes it."""
    kw = {
        "endpoint_url": endpoint,
        "region_name": EMULATOR_ENV["AWS_REGION"],
        **EMULATOR_CREDENTIALS,
    }
    ddb, lam = boto3.client("dynamodb", **kw), boto3.client("lambda", **kw)
    api = boto3.client("apigatewayv2", **kw)
    s3, iam, logs = boto3.client("s3", **kw), boto3.client("iam", **kw), boto3.client("logs", **kw)
    shot: dict[str, Any] = {"tables": {}, "functions": {}, "apis": {}, "buckets": {}, "roles": {}}
    for name in ddb.list_tables()["TableNames"]:
        shot["tables"][name] = {
            "table": ddb.describe_table(TableName=name)["Table"],
            "ttl": ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"],
            "backups": ddb.describe_continuous_backups(TableName=name),
        }
    for function in lam.list_functions()["Functions"]:
        name = function["FunctionName"]
        try:
            policy = lam.get_policy(FunctionName=name)
        except lam.exceptions.ResourceNotFoundException:
            policy = None  # a function nothing invokes through a resource policy (scheduled)
        shot["functions"][name] = {"config": function, "policy": policy}
    for item in api.get_apis()["Items"]:
        api_id = item["ApiId"]
        integrations = api.get_integrations(ApiId=api_id)["Items"]
        # Each route by the function it reaches: integration IDs are drawn in request order.
        reaches = {i["IntegrationId"]: i["IntegrationUri"] for i in integrations}
        shot["apis"][api_id] = {
            "api": item,
            "routes": sorted(
                (r["RouteKey"], reaches[r["Target"].removeprefix("integrations/")])
                for r in api.get_routes(ApiId=api_id)["Items"]
            ),
            "integrations": sorted(
                ({k: v for k, v in i.items() if k != "IntegrationId"} for i in integrations),
                key=lambda integration: integration["IntegrationUri"],
            ),
            "stages": api.get_stages(ApiId=api_id)["Items"],
        }
    for bucket in s3.list_buckets()["Buckets"]:
        name = bucket["Name"]
        shot["buckets"][name] = {
            "versioning": s3.get_bucket_versioning(Bucket=name),
            "encryption": s3.get_bucket_encryption(Bucket=name),
            "public_access": s3.get_public_access_block(Bucket=name),
            "policy": bucket_policy(s3, name),
        }
    for role in iam.list_roles()["Roles"]:
        name = role["RoleName"]
        policies = iam.list_role_policies(RoleName=name)["PolicyNames"]
        shot["roles"][name] = {
            "assume": role["AssumeRolePolicyDocument"],
            "inline": {p: iam.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"]
                       for p in policies},
        }  # fmt: skip
    shot["log_groups"] = logs.describe_log_groups()["logGroups"]
    return scrub(shot)


def test_the_repository_recording_replayed_elsewhere_creates_what_terraform_creates(
    tmp_path: Path,
) -> None:
    """Terraform applies on other ports than the recording's; the repository's recording is then
    replayed with the same ports into a fresh emulator: the two must hold the same resources."""
    packaging.build_all()
    config = StackConfig(state_dir=tmp_path, output=tmp_path / "output").on_free_ports()
    assert config.site_url != StackConfig().site_url
    port = free_port()
    shots, replays = [], []
    for run, search in (("terraform", ()), ("replay", (RECORDED_APPLY,))):
        emulator = Emulator(port=port, log=tmp_path / f"moto-{run}.log")
        emulator.start()
        try:
            emulator.wait_ready()
            outputs, replayed = apply_local_infra(
                config, emulator.url, recordings=tmp_path / f"{run}-recordings", search=search
            )
            replays.append(replayed)
            shots.append((outputs, snapshot(emulator.url)))
        finally:
            emulator.stop()
    assert replays == [False, True], "the repository's recording is stale"
    (applied_outputs, applied), (replayed_outputs, replayed_shot) = shots
    assert applied["tables"] and applied["functions"] and applied["apis"]
    assert without_generated_ids(replayed_outputs, replayed_shot) == without_generated_ids(
        applied_outputs, applied
    )


GENERATED = (
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>"),
    (re.compile(r"(:secret:[\w/+=.@-]+)-[A-Za-z0-9]{6}\b"), r"\1-<suffix>"),
)


def without_generated_ids(outputs: dict[str, Any], shot: dict[str, Any]) -> Any:
    """IDs the emulator draws are drawn in request order, which a parallel apply does not fix:
    a replay is consistent with its own outputs, not with another apply's draws."""
    text = json.dumps([outputs, shot], sort_keys=True, default=str)
    text = text.replace(outputs["api_id"], "<api-id>")
    for pattern, replacement in GENERATED:
        text = pattern.sub(replacement, text)
    return json.loads(text)
