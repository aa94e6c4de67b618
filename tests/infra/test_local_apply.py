"""envs/local applied to a fresh moto server, then checked against the code's contracts."""

from __future__ import annotations

import json
import re
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from common import schema, settings
from functions import FUNCTIONS

from cloudfolio import environments, packaging, terraform
from tests.infra.conftest import REPO

pytestmark = pytest.mark.infra

BACKEND = REPO / "backend"
HTTP_VERBS = {"get", "put", "post", "delete", "patch", "head", "options"}


def declared_routes(openapi: dict[str, Any]) -> dict[str, str]:
    return {
        f"{method.upper()} {path}": operation["x-cloudfolio-function"]
        for path, item in openapi["paths"].items()
        for method, operation in item.items()
        if method in HTTP_VERBS
    }


def test_every_env_var_the_code_reads_is_set_on_every_function(applied_local, aws_client):
    lambda_client = aws_client("lambda")
    environments = applied_local.outputs["function_environments"]
    assert environments, "no functions were created"
    for function, expected in environments.items():
        name = f"cloudfolio-local-{function}"
        config = lambda_client.get_function_configuration(FunctionName=name)
        actual = config["Environment"]["Variables"]
        assert actual == expected, f"{name}: output and deployed environment differ"
        missing = set(settings.ENV_VARS) - set(actual)
        assert not missing, f"{name} lacks {sorted(missing)}"


def test_functions_run_the_packaged_handler_with_tracing(applied_local, aws_client):
    lambda_client = aws_client("lambda")
    for function in applied_local.outputs["function_environments"]:
        name = f"cloudfolio-local-{function}"
        config = lambda_client.get_function_configuration(FunctionName=name)
        assert config["Handler"] == f"{FUNCTIONS[function]}.lambda_handler"
        assert config["Runtime"] == "python3.12"
        assert config["TracingConfig"]["Mode"] == "Active"


def test_every_declared_route_exists_in_terraform_and_on_the_api(
    applied_local, aws_client, openapi
):
    declared = declared_routes(openapi)
    assert applied_local.outputs["routes"] == declared
    api = aws_client("apigatewayv2")
    routes = api.get_routes(ApiId=applied_local.outputs["api_id"])["Items"]
    assert {route["RouteKey"] for route in routes} == set(declared)


def test_api_integrations_use_payload_v2(applied_local, aws_client):
    api = aws_client("apigatewayv2")
    integrations = api.get_integrations(ApiId=applied_local.outputs["api_id"])["Items"]
    assert integrations
    assert {item["PayloadFormatVersion"] for item in integrations} == {"2.0"}


def test_cors_allows_only_the_site_origin(applied_local, aws_client):
    api = aws_client("apigatewayv2").get_api(ApiId=applied_local.outputs["api_id"])
    assert api["CorsConfiguration"]["AllowOrigins"] == ["http://127.0.0.1:8000"]
    assert applied_local.outputs["cors_allowed_origins"] == ["http://127.0.0.1:8000"]


def test_table_key_schema_matches_the_code(applied_local, aws_client):
    dynamodb = aws_client("dynamodb")
    table = dynamodb.describe_table(TableName=applied_local.outputs["table_name"])["Table"]
    keys = {key["KeyType"]: key["AttributeName"] for key in table["KeySchema"]}
    assert keys == {"HASH": schema.PARTITION_KEY, "RANGE": schema.SORT_KEY}
    types = {attr["AttributeName"]: attr["AttributeType"] for attr in table["AttributeDefinitions"]}
    assert types == {schema.PARTITION_KEY: "S", schema.SORT_KEY: "S"}
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    ttl = dynamodb.describe_time_to_live(TableName=table["TableName"])["TimeToLiveDescription"]
    assert ttl["AttributeName"] == schema.TTL_ATTRIBUTE
    assert ttl["TimeToLiveStatus"] == "ENABLED"
    backups = dynamodb.describe_continuous_backups(TableName=table["TableName"])
    pitr = backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    assert pitr["PointInTimeRecoveryStatus"] == "ENABLED"


def test_table_name_reaches_the_functions(applied_local):
    for environment in applied_local.outputs["function_environments"].values():
        assert environment[settings.TABLE_NAME] == applied_local.outputs["table_name"]


def test_apply_time_is_reported(applied_local):
    # Not a timing assert (machines differ); the figure is printed for the readiness budget.
    seconds = applied_local.apply_seconds
    print(f"terraform apply of envs/local against a fresh moto server: {seconds:.1f}s")
    assert applied_local.apply_seconds > 0


DYNAMODB_CALL = re.compile(
    r"\.(get_item|put_item|update_item|delete_item|query|scan|batch_get_item|batch_write_item"
    r"|transact_get_items|transact_write_items)\("
)


def code_of(function: str) -> list[Path]:
    """A function's sources as packaged: its package, its library packages and the shared core."""
    packages = packaging.function_packages(function)
    return [path for package in packages for path in (BACKEND / package).rglob("*.py")]


def shares_its_package(function: str) -> bool:
    """Several functions built from one package (the demo roles): its code is their union."""
    package = FUNCTIONS[function].split(".")[0]
    return sum(module.split(".")[0] == package for module in FUNCTIONS.values()) > 1


TRANSACT_PART = re.compile(r"""["'](Put|Update|Delete|ConditionCheck)["']\s*:""")


def table_actions_in_code(function: str) -> set[str]:
    """DynamoDB actions a handler's code calls (its own package, its libraries, the shared core)."""
    texts = [path.read_text() for path in code_of(function)]
    calls = {match for text in texts for match in DYNAMODB_CALL.findall(text)}
    actions = {"dynamodb:" + "".join(part.title() for part in call.split("_")) for call in calls}
    if "dynamodb:TransactWriteItems" in actions:
        # IAM authorises a transaction by the actions inside it, not by its own name.
        actions.discard("dynamodb:TransactWriteItems")
        parts = {part for text in texts for part in TRANSACT_PART.findall(text)}
        actions |= {f"dynamodb:{part}Item" for part in parts}
    return actions


def as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def test_each_role_grants_exactly_the_table_actions_its_code_calls(applied_local, aws_client):
    iam = aws_client("iam")
    for function in applied_local.outputs["function_environments"]:
        role = f"cloudfolio-local-{function}"
        policy = iam.get_role_policy(RoleName=role, PolicyName="least-privilege")
        document = policy["PolicyDocument"]
        if isinstance(document, str):
            document = json.loads(urllib.parse.unquote(document))
        statements = {s.get("Sid"): s for s in document["Statement"]}
        granted: set[str] = set()
        for sid, output in (
            ("UseTable", "table_name"),
            ("UseEphemeralTable", "ephemeral_table_name"),
        ):
            statement = statements.get(sid)
            if statement is None:
                continue
            granted |= set(as_list(statement["Action"]))
            table = applied_local.outputs[output] if function != "salt_purge" else None
            if table:  # each statement names its one table, nothing more
                arn = aws_client("dynamodb").describe_table(TableName=table)["Table"]["TableArn"]
                assert as_list(statement["Resource"]) == [arn], (role, sid)
        if shares_its_package(function):
            # Each role gets a part of what its package calls, never more.
            assert granted <= table_actions_in_code(function), role
        else:
            assert granted == table_actions_in_code(function), role
        allowed = [s for s in document["Statement"] if s.get("Effect", "Allow") == "Allow"]
        wildcard = [s for s in allowed if s["Resource"] in ("*", ["*"])]
        assert [s["Sid"] for s in wildcard] == ["SendTraces"], "only X-Ray may use Resource *"


def test_site_bucket_is_private_versioned_and_encrypted(applied_local, aws_client):
    s3 = aws_client("s3")
    bucket = applied_local.outputs["site_bucket"]
    assert bucket
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert all(block.values()), block
    rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    # The emulator ignores Deny conditions, so envs/local turns the TLS-only statement off (and
    # nothing else): the bucket must still be readable by the local static server and publish.
    with pytest.raises(s3.exceptions.ClientError, match="NoSuchBucketPolicy"):
        s3.get_bucket_policy(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="probe.txt", Body=b"ok")
    assert s3.get_object(Bucket=bucket, Key="probe.txt")["Body"].read() == b"ok"


def role_policy(aws_client, function: str) -> dict[str, Any]:
    policy = aws_client("iam").get_role_policy(
        RoleName=f"cloudfolio-local-{function}", PolicyName="least-privilege"
    )
    document = policy["PolicyDocument"]
    if isinstance(document, str):
        document = json.loads(urllib.parse.unquote(document))
    return document


def as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def test_resume_role_may_only_read_its_pdf_and_update_its_counter(applied_local, aws_client):
    from counter.visitors import salt_key
    from resume.downloads import marker_key, totals_key

    bucket = applied_local.outputs["resume_bucket"]
    key = applied_local.outputs["resume_key"]
    statements = {s["Sid"]: s for s in role_policy(aws_client, "resume")["Statement"]}
    s3_statements = [
        s for s in statements.values() if any(a.startswith("s3:") for a in as_list(s["Action"]))
    ]
    assert [s["Sid"] for s in s3_statements] == ["ReadObjects"]
    assert as_list(statements["ReadObjects"]["Action"]) == ["s3:GetObject"]
    assert as_list(statements["ReadObjects"]["Resource"]) == [f"arn:aws:s3:::{bucket}/{key}"]
    # The counts table only for its own totals; its markers and the daily salt live in the
    # ephemeral table, which no backup keeps.
    condition = statements["UseTable"]["Condition"]["ForAllValues:StringLike"]
    patterns = as_list(condition["dynamodb:LeadingKeys"])
    totals = totals_key("site")[schema.PARTITION_KEY]["S"]
    assert any(re.fullmatch(p.replace("*", ".*"), totals) for p in patterns), totals
    for other in ("SITE#site", marker_key("2026-01-01", "ab12"), salt_key("2026-01-01")):
        partition = other if isinstance(other, str) else other[schema.PARTITION_KEY]["S"]
        assert not any(re.fullmatch(p.replace("*", ".*"), partition) for p in patterns), other
    ephemeral = aws_client("dynamodb").describe_table(
        TableName=applied_local.outputs["ephemeral_table_name"]
    )["Table"]["TableArn"]
    assert as_list(statements["UseEphemeralTable"]["Resource"]) == [ephemeral]
    environment = applied_local.outputs["function_environments"]["resume"]
    assert (environment[settings.RESUME_BUCKET], environment[settings.RESUME_KEY]) == (bucket, key)
    # No other function may read the PDF (the counter reads the site's release manifests).
    for function in applied_local.outputs["function_environments"]:
        if function != "resume":
            document = role_policy(aws_client, function)
            assert bucket not in json.dumps(document["Statement"]), function


def test_resume_bucket_is_private_versioned_and_encrypted(applied_local, aws_client):
    s3 = aws_client("s3")
    bucket = applied_local.outputs["resume_bucket"]
    assert bucket != applied_local.outputs["site_bucket"]
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert all(block.values()), block
    rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    main = (terraform.INFRA / "modules/resume/variables.tf").read_text()
    block_text = re.search(r'variable "deny_insecure_transport" \{(.*?)\n\}', main, re.S)
    assert block_text and re.search(r"default\s*=\s*true", block_text.group(1))


def test_site_module_denies_insecure_transport_by_default():
    variables = (terraform.INFRA / "modules/site/variables.tf").read_text()
    block = re.search(r'variable "deny_insecure_transport" \{(.*?)\n\}', variables, re.S)
    assert block and re.search(r"default\s*=\s*true", block.group(1))
    main = environments.AWS_ROOT.joinpath("main.tf").read_text()
    assert "deny_insecure_transport" not in main  # AWS environments keep the default


ENV_READ = re.compile(
    r"""(?:os\.environ\.get|os\.getenv|os\.environ\[)\(?\s*["']([A-Z][A-Z0-9_]+)["']"""
)
# Set by the Lambda runtime itself, never by Terraform.
RUNTIME_PROVIDED_VARS = {"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_LAMBDA_FUNCTION_NAME"}


def test_every_variable_a_handler_reads_directly_is_set(applied_local):
    """Beyond settings.ENV_VARS: literal os.environ reads in a handler's code are covered too."""
    for function, environment in applied_local.outputs["function_environments"].items():
        sources = code_of(function)
        read = {name for path in sources for name in ENV_READ.findall(path.read_text())}
        missing = read - set(environment) - RUNTIME_PROVIDED_VARS
        assert not missing, f"{function} reads {sorted(missing)}, which Terraform does not set"


def least_privilege_policy(aws_client, role: str) -> dict:
    document = aws_client("iam").get_role_policy(RoleName=role, PolicyName="least-privilege")[
        "PolicyDocument"
    ]
    return json.loads(urllib.parse.unquote(document)) if isinstance(document, str) else document


def test_the_counter_reads_only_the_site_bucket_releases(applied_local, aws_client):
    document = least_privilege_policy(aws_client, "cloudfolio-local-counter")
    (statement,) = [s for s in document["Statement"] if s.get("Sid") == "ReadObjects"]
    assert statement["Action"] in ("s3:GetObject", ["s3:GetObject"])
    bucket = applied_local.outputs["site_bucket"]
    assert statement["Resource"] in (
        f"arn:aws:s3:::{bucket}/releases/*",
        [f"arn:aws:s3:::{bucket}/releases/*"],
    )


def test_the_ephemeral_table_has_no_backups_and_the_counts_do(applied_local, aws_client):
    dynamodb = aws_client("dynamodb")

    def pitr(table: str) -> str:
        backups = dynamodb.describe_continuous_backups(TableName=table)
        description = backups["ContinuousBackupsDescription"]
        return description["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"]

    assert pitr(applied_local.outputs["table_name"]) == "ENABLED"
    assert pitr(applied_local.outputs["ephemeral_table_name"]) == "DISABLED"
    ttl = dynamodb.describe_time_to_live(TableName=applied_local.outputs["ephemeral_table_name"])
    assert ttl["TimeToLiveDescription"]["AttributeName"] == schema.TTL_ATTRIBUTE


def test_the_salt_purge_job_is_scheduled(applied_local, aws_client):
    (rule,) = aws_client("events").list_rules(NamePrefix="cloudfolio-local-salt-purge")["Rules"]
    assert rule["ScheduleExpression"] == "rate(1 hour)"
    (target,) = aws_client("events").list_targets_by_rule(Rule=rule["Name"])["Targets"]
    lambda_client = aws_client("lambda")
    config = lambda_client.get_function_configuration(FunctionName="cloudfolio-local-salt_purge")
    assert target["Arn"] == config["FunctionArn"]
    assert config["Handler"] == "salt_purge.handler.lambda_handler"
    assert (
        config["Environment"]["Variables"]["EPHEMERAL_TABLE_NAME"]
        == (applied_local.outputs["ephemeral_table_name"])
    )


def test_the_salt_purge_job_may_only_delete_from_the_ephemeral_table(applied_local, aws_client):
    document = least_privilege_policy(aws_client, "cloudfolio-local-salt_purge")
    (statement,) = [s for s in document["Statement"] if s.get("Sid") == "UseTable"]
    assert statement["Action"] in ("dynamodb:DeleteItem", ["dynamodb:DeleteItem"])
    ephemeral = aws_client("dynamodb").describe_table(
        TableName=applied_local.outputs["ephemeral_table_name"]
    )["Table"]["TableArn"]
    assert statement["Resource"] in (ephemeral, [ephemeral])
