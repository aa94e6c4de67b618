"""Formatting and offline init + validate of every env root."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from cloudfolio import environments, terraform

pytestmark = pytest.mark.infra

ENV_ROOTS = sorted(p.name for p in environments.ENVS.iterdir() if (p / "main.tf").exists())


def test_every_environment_has_a_root():
    assert {environments.terraform_root(env).name for env in environments.ENVIRONMENTS} == set(
        ENV_ROOTS
    )
    for env in environments.REMOTE:
        assert f'environment = "{env}"' in environments.var_files(env)[0].read_text()


def test_terraform_fmt_is_clean(terraform_bin: str):
    result = subprocess.run(
        [terraform_bin, "fmt", "-check", "-recursive", "-list=true", str(terraform.INFRA)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"unformatted files:\n{result.stdout}{result.stderr}"


def test_the_offline_mirror_is_found(terraform_bin: str):
    found = terraform.find_plugin_dir()
    assert found is not None, "no provider mirror: init would need the registry"


@pytest.mark.parametrize("env", ENV_ROOTS)
def test_init_and_validate_offline(env: str, terraform_bin: str, tmp_path: Path):
    runner = terraform.Terraform(environments.ENVS / env, data_dir=tmp_path / "data")
    # Without the backend: staging and prod state buckets are not reachable from a test run.
    runner.init(backend=False)
    result = runner.validate()
    assert result["valid"], result["diagnostics"]
    assert result["error_count"] == 0
