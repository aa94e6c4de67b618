"""Where each environment's site lives: bucket, endpoint, public URL, edge pointer store and the
table holding the site lock.

`local` reads the file the local stack writes when it starts; `staging` and `prod` read their
Terraform root's outputs. Nothing else in the publisher knows about environments.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from cloudfolio import environments, paths
from cloudfolio.local import contract
from cloudfolio.publish.errors import PublishError

LOCAL_STACK_DIR = paths.LOCAL_STATE
# Terraform output names of the site module, as exposed by each env root.
OUTPUT_BUCKET = "site_bucket"
OUTPUT_SITE_URL = "site_url"
OUTPUT_KVS_ARN = "site_kvs_arn"
OUTPUT_RESUME_BUCKET = "resume_bucket"
OUTPUT_RESUME_KEY = "resume_key"
# The site lock is an item of the stack's ephemeral table (see lock.py).
OUTPUT_LOCK_TABLE = "ephemeral_table_name"
DEFAULT_REGION = "us-east-1"


@dataclass(frozen=True)
class Target:
    env: str
    bucket: str
    site_url: str
    endpoint_url: str | None = None
    kvs_arn: str | None = None
    # The private bucket and key of the resume PDF (uploaded beside each release when it changed).
    resume_bucket: str | None = None
    resume_key: str | None = None
    # The DynamoDB table holding the site lock.
    lock_table: str | None = None

    @property
    def emulated(self) -> bool:
        return self.endpoint_url is not None and self.env == "local"


def _output_value(outputs: dict[str, Any], name: str) -> Any:
    value = outputs.get(name)
    # `terraform output -json` wraps each value as {"value": ..., "type": ..., "sensitive": ...}.
    if isinstance(value, dict) and "value" in value:
        return value["value"]
    return value


def _local() -> Target:
    stack = contract.StackInfo.read(LOCAL_STACK_DIR)
    if not stack.site_bucket:
        raise PublishError(
            "the local stack did not create the site bucket (infra/envs/local must output "
            "site_bucket); restart invoke up"
        )
    if not stack.ephemeral_table_name:
        raise PublishError(
            "the local stack did not report its ephemeral table, which holds the site lock "
            f"(infra/envs/local must output {OUTPUT_LOCK_TABLE}); restart invoke up"
        )
    return Target(
        "local",
        stack.site_bucket,
        stack.site_url,
        stack.aws_endpoint,
        resume_bucket=stack.resume_bucket,
        resume_key=stack.resume_key,
        lock_table=stack.ephemeral_table_name,
    )


def _terraform(env: str) -> Target:
    # Imported lazily: only staging and prod need terraform.
    from cloudfolio import terraform
    from cloudfolio.deploy import remote_runner

    try:
        outputs = remote_runner(env).output()
    except terraform.TerraformError as error:
        first, _, detail = str(error).partition("\n")
        raise PublishError(
            f"cannot read the {env} Terraform outputs; run invoke deploy --env {env} first "
            f"({first})\n{detail}"
        ) from error
    bucket = _output_value(outputs, OUTPUT_BUCKET)
    site_url = _output_value(outputs, OUTPUT_SITE_URL)
    lock_table = _output_value(outputs, OUTPUT_LOCK_TABLE)
    if not bucket or not site_url or not lock_table:
        raise PublishError(
            f"the {env} Terraform outputs have no {OUTPUT_BUCKET}/{OUTPUT_SITE_URL}/"
            f"{OUTPUT_LOCK_TABLE}: "
            f"run invoke deploy --env {env} first"
        )
    return Target(
        env,
        bucket,
        site_url,
        endpoint_url=os.environ.get("AWS_ENDPOINT_URL") or None,
        kvs_arn=_output_value(outputs, OUTPUT_KVS_ARN) or None,
        resume_bucket=_output_value(outputs, OUTPUT_RESUME_BUCKET) or None,
        resume_key=_output_value(outputs, OUTPUT_RESUME_KEY) or None,
        lock_table=lock_table,
    )


def target_for(env: str) -> Target:
    return _local() if environments.check(env) == environments.LOCAL else _terraform(env)
