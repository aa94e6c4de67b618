"""The local stack's fast path is only allowed because it builds exactly what Terraform builds."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import boto3
import pytest

from cloudfolio import packaging
from cloudfolio.local.contract import EMULATOR_CREDENTIALS, EMULATOR_ENV
from cloudfolio.local.emulator import Emulator, free_port
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
        shot["apis"][api_id] = {
            "api": item,
            "routes": sorted(
                (r["RouteKey"], r.get("Target")) for r in api.get_routes(ApiId=api_id)["Items"]
            ),
            "integrations": api.get_integrations(ApiId=api_id)["Items"],
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


def test_a_replayed_apply_creates_exactly_what_terraform_created(tmp_path: Path) -> None:
    packaging.build_all()
    config = StackConfig(state_dir=tmp_path, output=tmp_path / "output").on_free_ports()
    shots, replays = [], []
    for run in ("terraform", "replay"):
        emulator = Emulator(port=free_port(), log=tmp_path / f"moto-{run}.log")
        emulator.start()
        try:
            emulator.wait_ready()
            outputs, replayed = apply_local_infra(config, emulator.url, search=())
            replays.append(replayed)
            shots.append((outputs, snapshot(emulator.url)))
        finally:
            emulator.stop()
    assert replays == [False, True]
    (applied_outputs, applied), (replayed_outputs, replayed_shot) = shots
    assert applied["tables"] and applied["functions"] and applied["apis"]
    assert replayed_outputs == applied_outputs
    assert replayed_shot == applied
