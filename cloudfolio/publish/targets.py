"""Where each environment's site lives: bucket, endpoint, public URL and edge pointer store.

`local` reads the file the local stack writes when it starts; `staging` and `prod` read their
Terraform root's outputs. Nothing else in the publisher knows about environments.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from cloudfolio import paths
from cloudfolio.publish.store import PublishError

ENVIRONMENTS = ("local", "staging", "prod")
STACK_FILE = paths.LOCAL_STATE / "stack.json"
# Terraform output names of the site module, as exposed by each env root.
OUTPUT_BUCKET = "site_bucket"
OUTPUT_SITE_URL = "site_url"
OUTPUT_KVS_ARN = "site_kvs_arn"
DEFAULT_REGION = "us-east-1"
# The emulator accepts any key; real environments must bring their own.
EMULATOR_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@dataclass(frozen=True)
class Target:
    env: str
    bucket: str
    site_url: str
    endpoint_url: str | None = None
    kvs_arn: str | None = None

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
    if not STACK_FILE.exists():
        raise PublishError(
            f"the local stack is not running ({STACK_FILE} is missing): start it with invoke up"
        )
    stack = json.loads(STACK_FILE.read_text())
    missing = [key for key in ("site_bucket", "site_url", "aws_endpoint") if not stack.get(key)]
    if missing:
        raise PublishError(
            f"{STACK_FILE} has no {', '.join(missing)}: the local stack did not create the site "
            "bucket (infra/envs/local must output site_bucket); restart invoke up"
        )
    return Target("local", stack["site_bucket"], stack["site_url"], stack["aws_endpoint"])


def _terraform(env: str) -> Target:
    from cloudfolio import terraform  # imported lazily: only staging and prod need terraform

    try:
        outputs = terraform.Terraform(terraform.env_root(env)).output()
    except terraform.TerraformError as error:
        raise PublishError(
            f"cannot read the {env} Terraform outputs ({error}); run invoke deploy --env {env}"
        ) from error
    bucket = _output_value(outputs, OUTPUT_BUCKET)
    site_url = _output_value(outputs, OUTPUT_SITE_URL)
    if not bucket or not site_url:
        raise PublishError(
            f"the {env} Terraform outputs have no {OUTPUT_BUCKET}/{OUTPUT_SITE_URL}: "
            f"run invoke deploy --env {env} first"
        )
    return Target(
        env,
        bucket,
        site_url,
        endpoint_url=os.environ.get("AWS_ENDPOINT_URL") or None,
        kvs_arn=_output_value(outputs, OUTPUT_KVS_ARN) or None,
    )


def target_for(env: str) -> Target:
    if env not in ENVIRONMENTS:
        raise PublishError(f"unknown environment {env!r}; choose one of {', '.join(ENVIRONMENTS)}")
    return _local() if env == "local" else _terraform(env)
