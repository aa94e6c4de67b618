"""Fixtures for the infrastructure proofs: terraform, a moto server, an applied local env."""

from __future__ import annotations

import json
import shutil
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cloudfolio import api_description, environments, terraform
from cloudfolio.local.emulator import running_emulator

REPO = Path(__file__).resolve().parents[2]
OPENAPI = REPO / "backend" / "openapi.json"
# Used only while backend/openapi.json has not been generated yet: the counter's routes.
FALLBACK_OPENAPI = {
    "openapi": "3.0.3",
    "info": {"title": "cloudfolio", "version": "0"},
    "paths": {
        "/visits": {
            "get": {"x-cloudfolio-function": "counter"},
            "post": {"x-cloudfolio-function": "counter"},
        },
        "/health": {"get": {"x-cloudfolio-function": "counter"}},
    },
}
PLACEHOLDER_HANDLER = "def lambda_handler(event, context):\n    return {}\n"


@pytest.fixture(scope="session")
def terraform_bin() -> str:
    if not shutil.which("terraform"):
        pytest.fail("terraform is not on PATH: the infrastructure proofs cannot run without it")
    return terraform.terraform_binary()


@pytest.fixture(scope="session")
def openapi_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if OPENAPI.exists():
        return OPENAPI
    path = tmp_path_factory.mktemp("api") / "openapi.json"
    path.write_text(json.dumps(FALLBACK_OPENAPI))
    return path


@pytest.fixture(scope="session")
def openapi(openapi_path: Path) -> dict[str, Any]:
    return json.loads(openapi_path.read_text())


@pytest.fixture(scope="session")
def artifacts_dir(tmp_path_factory: pytest.TempPathFactory, openapi: dict[str, Any]) -> Path:
    """Placeholder zips: Terraform only references the artifacts; their content is irrelevant."""
    directory = tmp_path_factory.mktemp("lambda")
    functions = {
        op["x-cloudfolio-function"]
        for item in openapi["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "x-cloudfolio-function" in op
    }
    # Scheduled functions (no routes) have zips too.
    functions |= set(api_description.functions())
    for name in functions:
        with zipfile.ZipFile(directory / f"{name}.zip", "w") as archive:
            archive.writestr(f"{name}/handler.py", PLACEHOLDER_HANDLER)
    return directory


@contextmanager
def running_moto() -> Iterator[str]:
    with running_emulator() as emulator:
        yield emulator.url


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    with running_moto() as endpoint:
        yield endpoint


@dataclass
class AppliedLocal:
    endpoint: str
    outputs: dict[str, Any]
    apply_seconds: float
    runner: terraform.Terraform
    variables: dict[str, str]


@pytest.fixture(scope="session")
def applied_local(
    terraform_bin: str,
    moto_endpoint: str,
    artifacts_dir: Path,
    openapi_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> AppliedLocal:
    work = tmp_path_factory.mktemp("tf-local")
    runner = terraform.Terraform(
        environments.LOCAL_ROOT, data_dir=work / "data", state_path=work / "local.tfstate"
    )
    runner.init()
    variables = {
        "aws_endpoint": moto_endpoint,
        "artifacts_dir": str(artifacts_dir),
        "openapi_path": str(openapi_path),
    }
    started = time.monotonic()
    runner.apply(variables)
    elapsed = time.monotonic() - started
    return AppliedLocal(moto_endpoint, runner.output(), elapsed, runner, variables)


@pytest.fixture(scope="session")
def aws_client(applied_local: AppliedLocal):
    import boto3

    def make(service: str):
        return boto3.client(
            service,
            endpoint_url=applied_local.endpoint,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )

    return make
