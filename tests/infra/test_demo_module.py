"""The demo module agrees with the code: handlers, environment names, least privilege, TLS."""

from __future__ import annotations

import re

import hcl2
from demo import config

from cloudfolio import api_description, terraform
from tests.infra.stack_modules import plain

MODULE = terraform.INFRA / "modules" / "demo"
MAIN = (MODULE / "main.tf").read_text()


def _locals() -> dict:
    merged: dict = {}
    for block in hcl2.loads(MAIN)["locals"]:
        merged.update(plain(block))
    return merged


def test_handlers_are_the_ones_backend_functions_declares() -> None:
    functions = api_description.functions()
    settings = _locals()["function_settings"]
    for name, entry in settings.items():
        assert entry["handler"] == f"{functions[name]}.lambda_handler", name
    served = {op.function for op in api_description.operations() if op.path.startswith("/demo")}
    assert served == set(settings)
    assert f'handler       = "{functions["demo_cleanup"]}.lambda_handler"' in MAIN


def test_environment_names_are_the_ones_the_code_reads() -> None:
    from common import settings

    literal = re.search(r"DEMO_PROVIDER\s+=.*?\n  \}\)", MAIN, re.DOTALL).group(0)
    names = set(re.findall(r"^\s+(DEMO_[A-Z_]+)\s+=", "  " + literal, re.MULTILINE))
    assert names == {settings.DEMO_PROVIDER, *config.ENV_VARS}
    secret_variables = set(re.findall(r'"(DEMO_[A-Z_]+_SECRET)"', MAIN))
    assert secret_variables <= set(settings.DEMO_PROVIDER_ENV_VARS)


def test_only_trigger_and_destroy_write_the_table() -> None:
    settings = _locals()["function_settings"]
    writes = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"}
    assert set(settings["demo_status"]["table_actions"]) == {"dynamodb:GetItem", "dynamodb:Query"}
    assert writes & set(settings["demo_trigger"]["table_actions"])
    assert writes & set(settings["demo_destroy"]["table_actions"])


def test_every_policy_carries_secure_transport() -> None:
    documents = re.findall(r'data "aws_iam_policy_document" "(\w+)" \{(.*?)\n\}', MAIN, re.DOTALL)
    role_policies = [name for name, body in documents if not name.startswith("assume")]
    assert set(role_policies) == {"dead_letter", "tls_only", "cleanup", "scheduler"}
    for name, body in documents:
        if name in role_policies:
            assert "aws:SecureTransport" in body or "tls_only.json" in body, name
    functions = (terraform.INFRA / "modules" / "functions" / "main.tf").read_text()
    assert functions.count("aws:SecureTransport") >= 2  # the functions' roles and their DLQs


def test_token_values_never_enter_terraform() -> None:
    for path in MODULE.glob("*.tf"):
        text = path.read_text()
        assert "aws_secretsmanager_secret_version" not in text, path
        assert "secret_string" not in text, path


def test_schedules_deliver_failures_to_the_dead_letter_queue() -> None:
    schedule = MAIN[MAIN.index('resource "aws_scheduler_schedule" "cleanup"') :]
    assert "dead_letter_config" in schedule
    assert '"rate(1 hour)"' in (MODULE / "variables.tf").read_text()


def test_turnstile_on_gives_the_trigger_its_secret_by_name_and_read_access() -> None:
    from common import settings

    found = _locals()
    # create_secrets gates the provider's tokens only: the check's own secret comes with the check.
    assert found["secret_variables"] == (
        "${toset(concat(var.create_secrets ? local.token_secrets : [], "
        f'var.enable_turnstile ? ["{settings.DEMO_TURNSTILE_SECRET}"] : []))}}'
    )
    assert "for name in local.secret_variables" in found["environment"]
    assert "local.secret_arns" in found["read_tokens"]
    trigger = found["function_settings"]["demo_trigger"]["policy_statements"]
    assert trigger.startswith("${concat(local.read_tokens,")
