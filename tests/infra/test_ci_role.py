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
from cloudfolio.publish.lock import LOCK_PARTITION
from tests.infra import stack_modules

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
  resume_object_arn    = "arn:aws:s3:::PROD-resume-ACCOUNT/resume/resume.pdf"
  lock_table_arn       = "arn:aws:dynamodb:us-east-1:ACCOUNT:table/PROD-data-ephemeral"
  kvs_arn              = "KVS"
  distribution_arn     = "DISTRIBUTION"
  route53_zone_id      = "ZONE"
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
  resume_object_arn    = "arn:aws:s3:::STAGING-resume-ACCOUNT/resume/resume.pdf"
  lock_table_arn       = "arn:aws:dynamodb:us-east-1:ACCOUNT:table/STAGING-data-ephemeral"
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
        "ZONE": ZONE,
        "ACCOUNT": ACCOUNT,
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


def test_the_stack_hands_the_boundary_to_every_module_that_creates_roles():
    for name, call, module in stack_modules.module_calls():
        if "permissions_boundary" in stack_modules.variables(module):
            assert call.get("permissions_boundary") == "${local.permissions_boundary}", name


# ---- coverage: every resource type the stack deploys, granted on the stack's own ARNs

R = f"arn:aws:{{service}}:eu-west-1:{ACCOUNT}"  # {service}: the action's
# Per resource type of the stack's modules: the calls that create or change it, each on the ARN
# the stack's resource has ({p}: the prefix, {u}: the prefix with underscores, as Glue names it).
DEPLOY_CALLS: dict[str, list[tuple[str, str]]] = {
    "aws_acm_certificate": [("acm:RequestCertificate", R + ":certificate/0a1b")],
    "aws_acm_certificate_validation": [("acm:DescribeCertificate", R + ":certificate/0a1b")],
    "aws_apigatewayv2_api": [("apigateway:POST", "arn:aws:apigateway:eu-west-1::/apis")],
    "aws_apigatewayv2_api_mapping": [
        (
            "apigateway:POST",
            "arn:aws:apigateway:eu-west-1::/domainnames/api.example.org/apimappings",
        )
    ],
    "aws_apigatewayv2_domain_name": [
        ("apigateway:POST", "arn:aws:apigateway:eu-west-1::/domainnames")
    ],
    "aws_apigatewayv2_integration": [
        ("apigateway:POST", "arn:aws:apigateway:eu-west-1::/apis/a1b2/integrations")
    ],
    "aws_apigatewayv2_route": [
        ("apigateway:POST", "arn:aws:apigateway:eu-west-1::/apis/a1b2/routes")
    ],
    "aws_apigatewayv2_stage": [
        ("apigateway:POST", "arn:aws:apigateway:eu-west-1::/apis/a1b2/stages")
    ],
    "aws_athena_named_query": [("athena:CreateNamedQuery", R + ":workgroup/{p}-analytics")],
    "aws_athena_workgroup": [
        ("athena:CreateWorkGroup", R + ":workgroup/{p}-analytics"),
        ("athena:TagResource", R + ":workgroup/{p}-analytics"),
    ],
    # Created by the administrator's first apply (random ids, no tags); the role reads them.
    "aws_cloudfront_cache_policy": [
        ("cloudfront:GetCachePolicy", f"arn:aws:cloudfront::{ACCOUNT}:cache-policy/c1")
    ],
    "aws_cloudfront_origin_access_control": [
        (
            "cloudfront:GetOriginAccessControl",
            f"arn:aws:cloudfront::{ACCOUNT}:origin-access-control/o1",
        )
    ],
    "aws_cloudfront_origin_request_policy": [
        (
            "cloudfront:GetOriginRequestPolicy",
            f"arn:aws:cloudfront::{ACCOUNT}:origin-request-policy/r1",
        )
    ],
    "aws_cloudfront_response_headers_policy": [
        (
            "cloudfront:GetResponseHeadersPolicy",
            f"arn:aws:cloudfront::{ACCOUNT}:response-headers-policy/h1",
        )
    ],
    "aws_cloudfront_distribution": [("cloudfront:UpdateDistribution", "{distribution}")],
    "aws_cloudfront_key_value_store": [("cloudfront:DescribeKeyValueStore", "{kvs}")],
    "aws_cloudfront_function": [
        (
            "cloudfront:CreateFunction",
            f"arn:aws:cloudfront::{ACCOUNT}:function/{{p}}-viewer-request",
        )
    ],
    "aws_cloudwatch_dashboard": [
        ("cloudwatch:PutDashboard", f"arn:aws:cloudwatch::{ACCOUNT}:dashboard/{{p}}")
    ],
    "aws_cloudwatch_metric_alarm": [
        ("cloudwatch:PutMetricAlarm", R + ":alarm:{p}-demo-cleanup-failed")
    ],
    "aws_cloudwatch_event_bus": [
        ("events:CreateEventBus", R + ":event-bus/{p}-analytics"),
        ("events:TagResource", R + ":event-bus/{p}-analytics"),
    ],
    "aws_cloudwatch_event_rule": [
        ("events:PutRule", R + ":rule/{p}-analytics/{p}-visits"),
        ("events:TagResource", R + ":rule/{p}-analytics/{p}-visits"),
        ("events:PutRule", R + ":rule/{p}-salt-purge"),  # on the default bus
    ],
    "aws_cloudwatch_event_target": [
        ("events:PutTargets", R + ":rule/{p}-analytics/{p}-visits"),
        ("events:PutTargets", R + ":rule/{p}-salt-purge"),
    ],
    "aws_cloudwatch_log_group": [
        ("logs:CreateLogGroup", R + ":log-group:/aws/lambda/{p}-demo_cleanup"),
        ("logs:CreateLogGroup", R + ":log-group:/aws/apigateway/{p}-api"),
        ("logs:CreateLogGroup", R + ":log-group:/aws/kinesisfirehose/{p}-visits"),
        ("logs:PutRetentionPolicy", R + ":log-group:/aws/kinesisfirehose/{p}-visits"),
        ("logs:TagResource", R + ":log-group:/aws/kinesisfirehose/{p}-visits"),
    ],
    "aws_cloudwatch_log_stream": [
        (
            "logs:CreateLogStream",
            R + ":log-group:/aws/kinesisfirehose/{p}-visits:log-stream:S3Delivery",
        ),
        ("logs:DescribeLogStreams", R + ":log-group:/aws/kinesisfirehose/{p}-visits"),
    ],
    "aws_dynamodb_table": [("dynamodb:CreateTable", R + ":table/{p}-data")],
    "aws_glue_catalog_database": [
        ("glue:CreateDatabase", R + ":catalog"),
        ("glue:CreateDatabase", R + ":database/{u}_analytics"),
    ],
    "aws_glue_catalog_table": [
        ("glue:CreateTable", R + ":catalog"),
        ("glue:CreateTable", R + ":database/{u}_analytics"),
        ("glue:CreateTable", R + ":table/{u}_analytics/visits"),
        ("glue:UpdateTable", R + ":table/{u}_analytics/visits"),
    ],
    "aws_iam_role": [("iam:CreateRole", f"arn:aws:iam::{ACCOUNT}:role/{{p}}-visits-firehose")],
    "aws_iam_role_policy": [
        ("iam:PutRolePolicy", f"arn:aws:iam::{ACCOUNT}:role/{{p}}-demo-scheduler")
    ],
    "aws_kinesis_firehose_delivery_stream": [
        ("firehose:CreateDeliveryStream", R + ":deliverystream/{p}-visits"),
        ("firehose:UpdateDestination", R + ":deliverystream/{p}-visits"),
        ("firehose:TagDeliveryStream", R + ":deliverystream/{p}-visits"),
    ],
    "aws_kms_alias": [("kms:CreateAlias", R + ":alias/{p}-alarms")],
    "aws_kms_key": [("kms:CreateKey", "*")],
    "aws_lambda_function": [("lambda:CreateFunction", R + ":function:{p}-demo_cleanup")],
    "aws_lambda_function_event_invoke_config": [
        ("lambda:PutFunctionEventInvokeConfig", R + ":function:{p}-demo_cleanup"),
        ("lambda:GetFunctionEventInvokeConfig", R + ":function:{p}-demo_cleanup"),
    ],
    "aws_lambda_permission": [("lambda:AddPermission", R + ":function:{p}-counter")],
    "aws_route53_record": [
        ("route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/{zone}")
    ],
    "aws_s3_bucket": [
        ("s3:CreateBucket", "arn:aws:s3:::{p}-lake-" + ACCOUNT),
        ("s3:CreateBucket", "arn:aws:s3:::{p}-lake-" + ACCOUNT + "-results"),
        ("s3:CreateBucket", "arn:aws:s3:::{p}-resume-" + ACCOUNT),
    ],
    "aws_s3_bucket_lifecycle_configuration": [
        ("s3:PutLifecycleConfiguration", "arn:aws:s3:::{p}-lake-" + ACCOUNT)
    ],
    "aws_s3_bucket_ownership_controls": [
        ("s3:PutBucketOwnershipControls", "arn:aws:s3:::{p}-resume-" + ACCOUNT)
    ],
    "aws_s3_bucket_policy": [("s3:PutBucketPolicy", "arn:aws:s3:::{p}-resume-" + ACCOUNT)],
    "aws_s3_bucket_public_access_block": [
        ("s3:PutBucketPublicAccessBlock", "arn:aws:s3:::{p}-resume-" + ACCOUNT)
    ],
    "aws_s3_bucket_server_side_encryption_configuration": [
        ("s3:PutEncryptionConfiguration", "arn:aws:s3:::{p}-lake-" + ACCOUNT)
    ],
    "aws_s3_bucket_versioning": [("s3:PutBucketVersioning", "arn:aws:s3:::{p}-resume-" + ACCOUNT)],
    "aws_scheduler_schedule": [
        ("scheduler:CreateSchedule", R + ":schedule/{p}-demo/{p}-demo-sweep"),
        ("scheduler:UpdateSchedule", R + ":schedule/{p}-demo/{p}-demo-sweep"),
    ],
    "aws_scheduler_schedule_group": [
        ("scheduler:CreateScheduleGroup", R + ":schedule-group/{p}-demo"),
        ("scheduler:TagResource", R + ":schedule-group/{p}-demo"),
    ],
    "aws_secretsmanager_secret": [
        ("secretsmanager:CreateSecret", R + ":secret:{p}/demo/gitlab-trigger-token-AbCdEf"),
        ("secretsmanager:TagResource", R + ":secret:{p}/demo/gitlab-trigger-token-AbCdEf"),
        ("secretsmanager:CreateSecret", R + ":secret:{p}-api-origin-secret-AbCdEf"),
    ],
    "aws_secretsmanager_secret_version": [
        ("secretsmanager:PutSecretValue", R + ":secret:{p}-api-origin-secret-AbCdEf"),
        ("secretsmanager:GetSecretValue", R + ":secret:{p}-api-origin-secret-AbCdEf"),
    ],
    "aws_sns_topic": [("sns:CreateTopic", R + ":{p}-alarms")],
    "aws_sns_topic_policy": [("sns:SetTopicAttributes", R + ":{p}-alarms")],
    "aws_sns_topic_subscription": [("sns:Subscribe", R + ":{p}-alarms")],
    "aws_sqs_queue": [("sqs:CreateQueue", R + ":{p}-demo-cleanup-dlq")],
    "aws_sqs_queue_policy": [("sqs:SetQueueAttributes", R + ":{p}-demo-cleanup-dlq")],
    "aws_wafv2_web_acl": [
        ("wafv2:CreateWebACL", f"arn:aws:wafv2:us-east-1:{ACCOUNT}:global/webacl/{{p}}-site/w1")
    ],
    # The ci module's own resources: the administrator applies them, the deploy role never does.
    "aws_iam_openid_connect_provider": [],
    "aws_iam_policy": [],
    # Terraform's own state, no AWS call.
    "terraform_data": [],
}
# The calls that AWS authorises on "*" only, or on a resource shared by every stack of the
# account, and why each is safe.
UNSCOPED = {
    "kms:CreateKey": "a new key has no ARN yet; the stack reaches it only through its key policy",
    "sts:GetCallerIdentity": "AWS has no resource for it",
    "logs:DescribeLogGroups": "AWS has no resource for it; read-only",
    "kms:ListAliases": "AWS has no resource for it; read-only",
    "cloudfront:ListDistributions": "AWS has no resource for it; read-only",
    "acm:ListCertificates": "AWS has no resource for it; read-only",
    "lambda:ListFunctions": "AWS has no resource for it; read-only",
}
SHARED_RESOURCES = {
    f"arn:aws:glue:*:{ACCOUNT}:catalog": "Glue authorises every call on the account's one catalog "
    "and on the database and table; the database and table ARNs carry the prefix",
    f"arn:aws:acm:*:{ACCOUNT}:certificate/*": "certificate ids are random and AWS cannot condition "
    "RequestCertificate on tags; certificates grant nothing by themselves",
    f"arn:aws:cloudfront::{ACCOUNT}:cache-policy/*": "read-only (see ReadEdgePolicies)",
    f"arn:aws:cloudfront::{ACCOUNT}:origin-access-control/*": "read-only (see ReadEdgePolicies)",
    f"arn:aws:cloudfront::{ACCOUNT}:origin-request-policy/*": "read-only (see ReadEdgePolicies)",
    f"arn:aws:cloudfront::{ACCOUNT}:response-headers-policy/*": "read-only (see ReadEdgePolicies)",
    f"arn:aws:wafv2:us-east-1:{ACCOUNT}:global/managedruleset/*/*": "AWS's managed rule sets "
    "the web ACL uses",
    "arn:aws:route53:::change/*": "read-only: GetChange of the stack's own record changes",
}
ZONE = "ZPRODZONE"


def granting(statements: list[dict], action: str, arn: str) -> list[dict]:
    """Allow statements that match the call; IAM's "*" spans ":" and "/" as fnmatch does."""
    return [
        s
        for s in statements
        if allows(s, action) and any(fnmatch.fnmatchcase(arn, r) for r in as_list(s["Resource"]))
    ]


def denied(statements: list[dict], action: str, arn: str) -> bool:
    return any(
        s["Effect"] == "Deny"
        and any(matches(p, action) for p in as_list(s["Action"]))
        and any(fnmatch.fnmatchcase(arn, r) for r in as_list(s.get("Resource", [])))
        for s in statements
    )


def stack_tagged(statement: dict, prefix: str) -> bool:
    condition = json.dumps(statement.get("Condition", {}))
    return any(
        f'"aws:{kind}Tag/stack": "{prefix}"' in condition for kind in ("Resource", "Request")
    )


def test_every_resource_type_of_the_stack_is_listed():
    types = stack_modules.resource_types()
    assert sorted(types - DEPLOY_CALLS.keys()) == [], "add the calls the deploy role needs"
    assert sorted(DEPLOY_CALLS.keys() - types) == [], "no longer deployed: remove"


@pytest.mark.parametrize("resource_type", sorted(DEPLOY_CALLS))
def test_the_deploy_role_may_deploy_each_resource_only_in_its_own_stack(applied, resource_type):
    _, iam, _ = applied
    statements = inline_statements(iam, PROD)
    for action, template in DEPLOY_CALLS[resource_type]:
        # ARNs name the service as the action does.
        names = {
            "distribution": DISTRIBUTION,
            "kvs": KVS,
            "zone": ZONE,
            "service": action.split(":")[0],
        }
        arn = template.format(p=PROD, u=PROD.replace("-", "_"), **names)
        found = granting(statements, action, arn)
        assert found, f"{PROD} cannot {action} on {arn}"
        assert not denied(statements, action, arn), (action, arn)
        other = template.format(p=STAGING, u=STAGING.replace("-", "_"), **names)
        for statement in found:
            for resource in as_list(statement["Resource"]):
                if not fnmatch.fnmatchcase(arn, resource):
                    continue
                if other != arn and not fnmatch.fnmatchcase(other, resource):
                    continue  # named with the prefix: the other stack's is out of reach
                assert unnamed_but_scoped(statement, resource, action, PROD), (
                    f"{PROD} may {action} on {other} too: {statement}"
                )


def unnamed_but_scoped(statement: dict, resource: str, action: str, prefix: str) -> bool:
    """A grant that no name scopes: by the stack's tag, by an exact ARN, or listed with a reason."""
    return (
        stack_tagged(statement, prefix)
        or resource in SHARED_RESOURCES
        or (resource == "*" and action in UNSCOPED)
        or resource in (DISTRIBUTION, KVS)
        or resource.endswith(f"hostedzone/{ZONE}")
    )


@pytest.mark.parametrize("prefix", [PROD, STAGING])
def test_nothing_is_granted_on_every_resource_but_what_aws_cannot_scope(applied, prefix):
    _, iam, _ = applied
    for statement in inline_statements(iam, prefix):
        if statement["Effect"] != "Allow":
            continue
        resources = as_list(statement["Resource"])
        if "*" in resources:
            assert set(as_list(statement["Action"])) <= UNSCOPED.keys(), statement
        for resource in resources:
            if resource != "*" and f":{ACCOUNT}:" in resource and prefix not in resource:
                underscored = prefix.replace("-", "_")
                assert (
                    resource in SHARED_RESOURCES
                    or underscored in resource
                    or resource in (DISTRIBUTION, KVS)
                    or stack_tagged(statement, prefix)
                ), (resource, statement)


@pytest.mark.parametrize("service", sorted(stack_modules.role_trusted_services()))
def test_stack_roles_are_passed_only_to_the_services_they_trust(applied, service):
    _, iam, _ = applied
    for prefix in (PROD, STAGING):
        passing = [s for s in inline_statements(iam, prefix) if allows(s, "iam:PassRole")]
        services = {
            id(s): as_list(
                s.get("Condition", {}).get("StringEquals", {}).get("iam:PassedToService", [])
            )
            for s in passing
        }
        assert any(service in found for found in services.values()), (
            f"{prefix} cannot pass its roles to {service}"
        )
        for statement in passing:
            assert services[id(statement)], f"PassRole to any service: {statement}"
            assert as_list(statement["Resource"]) == [f"arn:aws:iam::{ACCOUNT}:role/{prefix}-*"]


@pytest.mark.parametrize("action", ["s3:GetObject", "s3:PutObject"])
def test_publish_replaces_only_the_resume_pdf(applied, action):
    _, iam, _ = applied
    statements = inline_statements(iam, PROD)
    pdf = f"arn:aws:s3:::{PROD}-resume-{ACCOUNT}/resume/resume.pdf"
    assert granting(statements, action, pdf), f"publish cannot {action} the resume PDF"
    assert not granting(statements, action, f"arn:aws:s3:::{PROD}-resume-{ACCOUNT}/other")


LOCK_ACTIONS = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]


@pytest.mark.parametrize("prefix", [PROD, STAGING])
def test_publish_holds_the_lock_item_and_touches_no_other_item(applied, prefix):
    _, iam, _ = applied
    statements = inline_statements(iam, prefix)
    table = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/{prefix}-data-ephemeral"
    item_actions = [
        s
        for s in statements
        if s["Effect"] == "Allow"
        and any(matches("dynamodb:*Item", a) for a in as_list(s["Action"]))
    ]
    assert item_actions == granting(statements, "dynamodb:PutItem", table)
    for statement in item_actions:
        assert sorted(as_list(statement["Action"])) == sorted(LOCK_ACTIONS)
        assert as_list(statement["Resource"]) == [table]
        leading = statement["Condition"]["ForAllValues:StringEquals"]["dynamodb:LeadingKeys"]
        assert as_list(leading) == [LOCK_PARTITION]
    for action in LOCK_ACTIONS:
        assert granting(statements, action, table), f"{prefix} cannot {action} the lock"
        assert not granting(statements, action, table.replace("-ephemeral", ""))
