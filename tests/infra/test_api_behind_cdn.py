"""The API on the site's domain: names Terraform and the code share, and the /api prefix function.

moto cannot emulate CloudFront, so these check the declarations and run the function's code;
terraform validate and checkov cover the rest of the distribution."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from common import origin, settings, throttle

from cloudfolio import terraform
from cloudfolio.local.static_server import API_PREFIX

SITE = terraform.INFRA / "modules" / "site"
STACK = terraform.INFRA / "modules" / "stack"


def test_cloudfront_sends_the_header_the_functions_check() -> None:
    declared = re.search(r'origin_secret_header\s*=\s*"([^"]+)"', (SITE / "cdn.tf").read_text())
    assert declared and declared.group(1) == origin.HEADER


def test_cloudfront_forwards_the_viewer_address_the_functions_read() -> None:
    cdn = (SITE / "cdn.tf").read_text()
    assert f'"{origin.VIEWER_ADDRESS}"' in cdn
    assert '"X-Forwarded-For"' not in cdn


def test_the_api_path_is_the_same_for_cloudfront_and_the_static_server() -> None:
    assert f'["{API_PREFIX}/*"]' in (SITE / "cdn.tf").read_text()


def test_terraform_reads_the_throttle_extension_the_code_declares() -> None:
    assert f'operation["{throttle.EXTENSION}"]' in (STACK / "main.tf").read_text()


@pytest.mark.parametrize(
    ("uri", "expected"),
    [("/api/visits", "/visits"), ("/api", "/"), ("/api/", "/"), ("/apiary/x", "/apiary/x")],
)
def test_the_api_request_function_strips_the_prefix(uri: str, expected: str) -> None:
    node = shutil.which("node")
    assert node, "node is needed to run the CloudFront Function"
    harness = (
        "const fs = require('fs'); const vm = require('vm');"
        "const context = vm.createContext({});"
        "vm.runInContext(fs.readFileSync(process.argv[1], 'utf8'), context);"
        "const event = JSON.parse(fs.readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(context.handler(event)));"
    )
    event = {"request": {"uri": uri, "method": "POST", "headers": {}}}
    result = subprocess.run(
        [node, "-e", harness, str(SITE / "api_request.js")],
        input=json.dumps(event),
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout)["uri"] == expected


def test_every_declared_throttle_is_a_route_setting_of_the_stage(applied_local, aws_client):
    from cloudfolio import api_description

    api_id = applied_local.outputs["api_id"]
    stage = aws_client("apigatewayv2").get_stage(ApiId=api_id, StageName="$default")
    applied = {
        key: (settings["ThrottlingRateLimit"], settings["ThrottlingBurstLimit"])
        for key, settings in stage.get("RouteSettings", {}).items()
    }
    declared = {
        key: (limit.rate_limit, limit.burst_limit)
        for key, limit in api_description.throttles().items()
    }
    assert applied == declared


def test_every_function_gets_the_origin_secret_and_may_read_only_it(applied_local, aws_client):
    secrets = aws_client("secretsmanager")
    [secret] = secrets.list_secrets()["SecretList"]
    assert len(secrets.get_secret_value(SecretId=secret["ARN"])["SecretString"]) >= 64
    for environment in applied_local.outputs["function_environments"].values():
        assert environment[settings.ORIGIN_SECRET_ID] == secret["Name"]
    iam = aws_client("iam")
    readers = []
    for role in iam.list_roles()["Roles"]:
        for name in iam.list_role_policies(RoleName=role["RoleName"])["PolicyNames"]:
            policy = iam.get_role_policy(RoleName=role["RoleName"], PolicyName=name)
            for statement in policy["PolicyDocument"]["Statement"]:
                actions = statement["Action"]
                if "secretsmanager:GetSecretValue" in (
                    [actions] if isinstance(actions, str) else actions
                ):
                    readers.append(role["RoleName"])
                    assert statement["Resource"] in (secret["ARN"], [secret["ARN"]])
    assert len(readers) == len(applied_local.outputs["function_environments"])
