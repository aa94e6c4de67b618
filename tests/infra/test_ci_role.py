"""The deploy roles as applied: the ci module against the emulator's IAM, policies parsed back.

Two stacks share one account here, as staging and prod may: the tests read each role's trust,
inline policies and permissions boundary from IAM and check what a hijacked job could do.
"""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import boto3
import pytest

from cloudfolio import terraform

REPO = Path(__file__).resolve().parents[2]
MODULE = REPO / "infra" / "modules" / "ci"
REPOSITORY = "owner/site"
ACCOUNT = "123456789012"
PROD, STAGING = "cfci-prod", "cfci-staging"
DISTRIBUTION = f"arn:aws:cloudfront::{ACCOUNT}:distribution/EPRODDIST"
KVS = f"arn:aws:cloudfront::{ACCOUNT}:key-value-store/0a1b2c3d-prod"
LOCAL_ENV = REPO / "infra" / "envs" / "local"
# The local env's provider and version blocks (every service at the emulator) plus these modules.
ROOT_TF = """
variable "aws_endpoint" { type = string }
variable "prod_refs" {
  type    = list(string)
  default = []
}
module "prod" {
  source               = "MODULE"
  name_prefix          = "PROD"
  github_repository    = "REPOSITORY"
  allowed_environments = ["production"]
  allowed_refs         = var.prod_refs
  state_bucket         = "owner-tfstate"
  state_key_prefix     = "cloudfolio/prod.tfstate"
  site_bucket_arn      = "arn:aws:s3:::PROD-site"
  kvs_arn              = "KVS"
  distribution_arn     = "DISTRIBUTION"
}
module "staging" {
  source               = "MODULE"
  name_prefix          = "STAGING"
  github_repository    = "REPOSITORY"
  allowed_environments = ["staging"]
  allowed_refs         = ["refs/heads/main"]
  create_oidc_provider = false
  oidc_provider_arn    = module.prod.oidc_provider_arn
  state_bucket         = "owner-tfstate"
  state_key_prefix     = "cloudfolio/staging.tfstate"
  site_bucket_arn      = "arn:aws:s3:::STAGING-site"
}
output "boundaries" {
  value = {
    prod    = module.prod.permissions_boundary_arn
    staging = module.staging.permissions_boundary_arn
  }
}
"""
# Actions that decide what a role may do; the condition key iam:PermissionsBoundary exists
# for exactly these, so each one must be tied to the module's boundary.
ROLE_CHANGING = {
    "iam:CreateRole",
    "iam:PutRolePolicy",
    "iam:AttachRolePolicy",
    "iam:DetachRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:PutRolePermissionsBoundary",
}
# Role changes that cannot be tied to a boundary: the deploy role must not hold them at all.
NEVER_ALLOWED = {
    "iam:UpdateAssumeRolePolicy",
    "iam:DeleteRolePermissionsBoundary",
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:CreatePolicy",
    "iam:CreateUser",
    "iam:CreateAccessKey",
}
BOUNDARY_EDITS = [
    "iam:CreatePolicyVersion",
    "iam:DeletePolicy",
    "iam:DeletePolicyVersion",
    "iam:SetDefaultPolicyVersion",
]
SCOPED_SERVICES = ("kms", "apigateway", "cloudfront", "lambda", "dynamodb", "s3")


@pytest.fixture(scope="module")
def applied(terraform_bin, moto_endpoint, tmp_path_factory):
    root = tmp_path_factory.mktemp("ci-root")
    text = ROOT_TF
    for name, value in {
        "MODULE": str(MODULE),
        "PROD": PROD,
        "STAGING": STAGING,
        "REPOSITORY": REPOSITORY,
        "KVS": KVS,
        "DISTRIBUTION": DISTRIBUTION,
    }.items():
        text = text.replace(name, value)
    (root / "main.tf").write_text(text)
    for name in ("providers.tf", "versions.tf"):
        shutil.copy(LOCAL_ENV / name, root / name)
    runner = terraform.Terraform(root, data_dir=root / ".data", state_path=root / "tfstate")
    runner.init()
    runner.apply({"aws_endpoint": moto_endpoint})
    iam = boto3.client(
        "iam",
        endpoint_url=moto_endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    boundaries = runner.output()["boundaries"]
    return runner, iam, boundaries.get("value", boundaries)


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def document(raw) -> dict:
    return json.loads(unquote(raw)) if isinstance(raw, str) else raw


def role(iam, prefix: str) -> dict:
    return iam.get_role(RoleName=f"{prefix}-github-deploy")["Role"]


def inline_statements(iam, prefix: str) -> list[dict]:
    name = f"{prefix}-github-deploy"
    statements = []
    for policy in iam.list_role_policies(RoleName=name)["PolicyNames"]:
        found = document(iam.get_role_policy(RoleName=name, PolicyName=policy)["PolicyDocument"])
        statements += as_list(found["Statement"])
    return statements


def boundary_statements(iam, arn: str) -> list[dict]:
    version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
    found = iam.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"]
    return as_list(document(found["Document"])["Statement"])


def matches(pattern: str, action: str) -> bool:
    return fnmatch.fnmatchcase(action.lower(), pattern.lower())


def allows(statement: dict, action: str) -> bool:
    return statement["Effect"] == "Allow" and any(
        matches(pattern, action) for pattern in as_list(statement.get("Action", []))
    )


def subjects(iam, prefix: str) -> list[str]:
    trust = document(role(iam, prefix)["AssumeRolePolicyDocument"])
    values = []
    for statement in as_list(trust["Statement"]):
        for test in statement.get("Condition", {}).values():
            for key, value in test.items():
                if key.endswith(":sub"):
                    values += as_list(value)
    return sorted(values)


def test_prod_trusts_only_the_protected_environment(applied):
    _, iam, _ = applied
    assert subjects(iam, PROD) == [f"repo:{REPOSITORY}:environment:production"]


def test_staging_trusts_its_environment_or_main(applied):
    _, iam, _ = applied
    assert subjects(iam, STAGING) == [
        f"repo:{REPOSITORY}:environment:staging",
        f"repo:{REPOSITORY}:ref:refs/heads/main",
    ]


def test_a_production_role_trusting_a_branch_is_refused(applied, moto_endpoint):
    runner, _, _ = applied
    with pytest.raises(terraform.TerraformError, match="production"):
        runner.run(
            "plan",
            "-refresh=false",
            "-target=module.prod.aws_iam_role.deploy",
            "-no-color",
            f"-state={runner.state_path}",
            f"-var=aws_endpoint={moto_endpoint}",
            '-var=prod_refs=["refs/heads/main"]',
        )


@pytest.mark.parametrize("prefix", [PROD, STAGING])
def test_the_deploy_role_changes_roles_only_with_the_module_boundary(applied, prefix):
    _, iam, boundaries = applied
    boundary = boundaries["prod" if prefix == PROD else "staging"]
    assert boundary.endswith(f":policy/{prefix}-boundary")
    statements = inline_statements(iam, prefix)
    for action in sorted(ROLE_CHANGING):
        granting = [s for s in statements if allows(s, action)]
        assert granting, f"{action} should be possible for stack roles"
        for statement in granting:
            condition = statement.get("Condition", {}).get("StringEquals", {})
            assert as_list(condition.get("iam:PermissionsBoundary")) == [boundary], statement
    for action in sorted(NEVER_ALLOWED):
        assert not [s for s in statements if allows(s, action)], action
    denied = [
        s
        for s in statements
        if s["Effect"] == "Deny" and boundary in as_list(s.get("Resource", []))
    ]
    for action in BOUNDARY_EDITS:
        assert any(any(matches(p, action) for p in as_list(s["Action"])) for s in denied), (
            f"the deploy role could {action} its boundary"
        )


@pytest.mark.parametrize("prefix", [PROD, STAGING])
def test_the_boundary_denies_iam_organizations_and_key_policy_changes_outside_the_stack(
    applied, prefix
):
    _, iam, boundaries = applied
    statements = boundary_statements(iam, boundaries["prod" if prefix == PROD else "staging"])
    denies = [s for s in statements if s["Effect"] == "Deny"]

    def denied(action: str) -> list[dict]:
        return [s for s in denies if any(matches(p, action) for p in as_list(s["Action"]))]

    iam_denial = denied("iam:CreateRole")
    assert iam_denial and all(
        f"role/{prefix}-*" in " ".join(as_list(s.get("NotResource", []))) for s in iam_denial
    ), "IAM changes outside the stack's roles must be denied"
    assert denied("iam:PutRolePolicy") and denied("iam:CreateUser")
    assert denied("organizations:LeaveOrganization")
    for action in ("kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:CreateGrant"):
        found = denied(action)
        assert found, action
        assert any(f"alias/{prefix}-" in json.dumps(s.get("Condition", {})) for s in found)
    assert denied("iam:DeleteRolePermissionsBoundary")


@pytest.mark.parametrize("prefix", [PROD, STAGING])
def test_stack_services_are_scoped_to_the_stack(applied, prefix):
    _, iam, _ = applied
    other = STAGING if prefix == PROD else PROD
    for statement in inline_statements(iam, prefix):
        if statement["Effect"] != "Allow":
            continue
        actions = as_list(statement["Action"])
        scoped = [a for a in actions if a.split(":")[0] in SCOPED_SERVICES]
        if not scoped:
            continue
        assert not any(matches(a, "kms:TagResource") for a in actions), statement
        resources = as_list(statement["Resource"])
        condition = json.dumps(statement.get("Condition", {}))
        reads_only = all(re.match(r"^[a-z0-9-]+:(List|Describe|Get)", a) for a in scoped)
        for resource in resources:
            assert other not in resource
            if reads_only:
                continue  # reading another stack's settings changes nothing
            if resource == "*":
                # Key creation has no resource yet; a new key is reachable only by its policy.
                assert scoped == ["kms:CreateKey"], statement
                continue
            named = prefix in resource or resource in (DISTRIBUTION, KVS)
            tagged = f'"aws:ResourceTag/stack": "{prefix}"' in condition
            request_tagged = f'"aws:RequestTag/stack": "{prefix}"' in condition
            state = "owner-tfstate" in resource
            assert named or tagged or request_tagged or state, (resource, statement)
        assert not any(r.endswith(":apigateway:*::/*") for r in resources)


def test_every_role_a_module_creates_carries_the_boundary():
    pattern = re.compile(r'resource "aws_iam_role" "(\w+)" \{(.*?)\n\}', re.S)
    for path in sorted((REPO / "infra" / "modules").rglob("*.tf")):
        for name, body in pattern.findall(path.read_text()):
            if path.parent.name == "ci" and name == "deploy":
                continue  # the deploy role itself is applied by an administrator
            assert "permissions_boundary" in body, f"{path.relative_to(REPO)}: {name}"
