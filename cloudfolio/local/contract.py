"""What the running local stack promises its clients, declared once.

`invoke up` writes `stack.json` into its state directory; `invoke deploy --env local`,
`invoke publish --env local`, the tests and the benchmarks read it through `StackInfo.read`. The
default ports, the emulator's credentials and the variables `infra/envs/local` is applied with
live here too, so every caller agrees. This module imports nothing heavy: publish reads it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cloudfolio import paths
from cloudfolio.errors import CloudfolioError

HOST = "127.0.0.1"
SITE_PORT = 8000
API_PORT = 8001
AWS_PORT = 8002
STACK_FILE_NAME = "stack.json"
REGION = "us-east-1"
# The emulator accepts any key; these never leave loopback.
EMULATOR_ENV = {
    "AWS_ACCESS_KEY_ID": "test",
    "AWS_SECRET_ACCESS_KEY": "test",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
}
EMULATOR_CREDENTIALS = {
    "aws_access_key_id": EMULATOR_ENV["AWS_ACCESS_KEY_ID"],
    "aws_secret_access_key": EMULATOR_ENV["AWS_SECRET_ACCESS_KEY"],
}


class StackNotRunningError(CloudfolioError):
    """No `invoke up` has written its stack file."""


def url(port: int, host: str = HOST) -> str:
    return f"http://{host}:{port}"


def stack_file(state_dir: Path = paths.LOCAL_STATE) -> Path:
    return state_dir / STACK_FILE_NAME


def terraform_variables(
    aws_endpoint: str, site_origin: str, artifacts_dir: Path = paths.LAMBDA_ARTIFACTS
) -> dict[str, Any]:
    """The variables infra/envs/local is applied with, by `invoke up` and `invoke deploy`."""
    return {
        "aws_endpoint": aws_endpoint,
        "site_origin": site_origin.rstrip("/"),
        "artifacts_dir": str(artifacts_dir),
    }


@dataclass(frozen=True)
class StackInfo:
    """What clients (tests, publish --env local, deploy --env local) need to reach the stack."""

    site_url: str
    api_url: str
    aws_endpoint: str
    table_name: str
    site_bucket: str | None
    ready_seconds: float
    infra: str  # "applied" by Terraform, or "replayed" from a recording of the same apply
    # The private bucket and key of the resume PDF (publish --env local uploads it there).
    resume_bucket: str | None = None
    resume_key: str | None = None
    # Function -> the variables Terraform set on it, for tools that run a handler in-process.
    function_environments: dict[str, dict[str, str]] = field(default_factory=dict)
    ephemeral_table_name: str | None = None

    @classmethod
    def read(cls, state_dir: Path = paths.LOCAL_STATE) -> StackInfo:
        file = stack_file(state_dir)
        if not file.exists():
            raise StackNotRunningError(
                f"the local stack is not running ({file} is missing): start it with invoke up"
            )
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in json.loads(file.read_text()).items() if k in known})

    def write(self, state_dir: Path) -> Path:
        file = stack_file(state_dir)
        file.write_text(json.dumps(asdict(self), indent=2) + "\n")
        return file
