"""The terraform wrapper's own behaviour: mirror discovery, variables, plan summaries, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudfolio import environments, terraform
from cloudfolio.errors import CloudfolioError


def test_plugin_dir_from_environment_wins(tmp_path: Path):
    (tmp_path / "registry.terraform.io").mkdir()
    found = terraform.find_plugin_dir({terraform.PLUGIN_DIR_ENV: str(tmp_path)})
    assert found == tmp_path


def test_plugin_dir_from_environment_must_be_a_mirror(tmp_path: Path):
    with pytest.raises(terraform.TerraformError, match=r"registry\.terraform\.io"):
        terraform.find_plugin_dir({terraform.PLUGIN_DIR_ENV: str(tmp_path)})


def test_no_mirror_means_registry_init(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setattr(terraform, "PLUGIN_DIR_CANDIDATES", (tmp_path / "absent",))
    assert terraform.find_plugin_dir({}) is None


def test_variables_render_as_hcl_literals():
    args = terraform._var_args({"name": "x", "origins": ["a", "b"], "on": True, "n": 3})
    assert args == ["-var=name=x", '-var=origins=["a", "b"]', "-var=on=true", "-var=n=3"]


def test_plan_summary_counts_like_terraform():
    plan = {
        "resource_changes": [
            {"address": "a.new", "change": {"actions": ["create"]}},
            {"address": "a.same", "change": {"actions": ["no-op"]}},
            {"address": "a.data", "change": {"actions": ["read"]}},
            {"address": "a.edit", "change": {"actions": ["update"]}},
            {"address": "a.gone", "change": {"actions": ["delete"]}},
            {"address": "a.swap", "change": {"actions": ["delete", "create"]}},
        ]
    }
    summary = terraform.summarize_plan(plan)
    assert (summary.add, summary.change, summary.destroy, summary.replace) == (2, 1, 2, 1)
    assert str(summary) == "Plan: 2 to add, 1 to change, 2 to destroy (1 replaced)"
    assert not summary.empty
    assert terraform.summarize_plan({"resource_changes": []}).empty


def test_missing_terraform_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(terraform.TerraformError, match="not on PATH"):
        terraform.terraform_binary()


def test_unknown_environment_lists_the_known_ones():
    with pytest.raises(CloudfolioError, match="local, staging, prod"):
        environments.terraform_root("nowhere")


def test_staging_and_prod_share_one_root_with_their_own_variables_and_data():
    assert environments.terraform_root("staging") == environments.terraform_root("prod")
    assert environments.remote_data_dir("staging") != environments.remote_data_dir("prod")
    assert environments.var_files("prod")[0].name == "prod.tfvars"


@pytest.mark.infra
def test_failures_carry_the_stderr_tail(terraform_bin: str, tmp_path: Path):
    (tmp_path / "main.tf").write_text('resource "nonsense" {\n')
    runner = terraform.Terraform(tmp_path, data_dir=tmp_path / ".data", plugin_dir=None)
    with pytest.raises(terraform.TerraformError, match="validate failed") as error:
        runner.validate()
    assert "Unclosed configuration block" in str(error.value)
    assert "main.tf:1" in str(error.value)


@pytest.mark.infra
def test_a_foreign_cli_config_does_not_leak_in(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("TF_CLI_CONFIG_FILE", str(tmp_path / "missing.tfrc"))
    runner = terraform.Terraform(tmp_path, data_dir=tmp_path / ".data")
    env = runner._env()
    assert env["TF_CLI_CONFIG_FILE"] != str(tmp_path / "missing.tfrc")
    assert Path(env["TF_CLI_CONFIG_FILE"]).exists()
    assert env["TF_DATA_DIR"] == str((tmp_path / ".data").resolve())


def test_an_environment_roots_stack_output_reads_as_the_modules_outputs(
    terraform_bin: str, tmp_path: Path
):
    (tmp_path / "main.tf").write_text(
        'output "stack" {\n  value = { table_name = "t", api_id = null }\n}\n'
        'output "extra" {\n  value = "x"\n}\n'
    )
    runner = terraform.Terraform(
        tmp_path, data_dir=tmp_path / ".data", state_path=tmp_path / "s.tfstate", plugin_dir=None
    )
    runner.init()
    runner.apply({})
    assert runner.output() == {"table_name": "t", "api_id": None, "extra": "x"}


def test_every_environment_root_exports_its_stack_module_whole():
    for root in (environments.LOCAL_ROOT, environments.AWS_ROOT):
        text = (root / "outputs.tf").read_text()
        assert f'output "{terraform.STACK_OUTPUT}"' in text and "value       = module.stack\n" in text
        assert text.count('\noutput "') == 1, root
