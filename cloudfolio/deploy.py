"""`invoke deploy` and `invoke destroy`: package the functions, then plan and apply an env root.

local applies to the running emulator with the local stack's throwaway state; staging and prod
share the `infra/envs/aws` root and each use their own S3 backend. Backend settings come from
`infra/envs/aws/<env>.backend.hcl` or from the CLOUDFOLIO_STATE_BUCKET / CLOUDFOLIO_STATE_REGION
environment variables, and the author's variables from `infra/envs/aws/<env>.account.tfvars`
(both kept out of git: they name the author's account).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cloudfolio import environments, paths, site_settings, terraform
from cloudfolio.errors import CloudfolioError
from cloudfolio.local import contract
from cloudfolio.security_headers import CSP, security_headers

STATE_BUCKET_ENV = "CLOUDFOLIO_STATE_BUCKET"
STATE_REGION_ENV = "CLOUDFOLIO_STATE_REGION"
STATE_KEY_TEMPLATE = "cloudfolio/{env}.tfstate"
# The local stack's files: deploy --env local plans against what `invoke up` applied.
LOCAL_STATE_FILE = paths.LOCAL_STATE / "terraform.tfstate"
LOCAL_DATA_DIR = paths.LOCAL_STATE / "terraform"
LOCAL_STACK_DIR = paths.LOCAL_STATE
ARTIFACTS_DIR = paths.LAMBDA_ARTIFACTS


class DeployError(CloudfolioError):
    """The deploy cannot start or did not finish; the message says what to do."""


@dataclass
class DeployResult:
    env: str
    summary: terraform.PlanSummary
    applied: bool
    outputs: dict[str, Any] = field(default_factory=dict)


def _local_variables() -> dict[str, Any]:
    """Point at the running local stack's emulator, or the default ports when none runs."""
    try:
        stack = contract.StackInfo.read(LOCAL_STACK_DIR)
        endpoint, origin = stack.aws_endpoint, stack.site_url
    except contract.StackNotRunningError:
        endpoint, origin = contract.url(contract.AWS_PORT), contract.url(contract.SITE_PORT)
    return contract.terraform_variables(endpoint, origin, ARTIFACTS_DIR)


def backend_config(env: str, environ: dict[str, str] | None = None) -> dict[str, str] | Path:
    """The S3 backend settings of a remote env: a backend file wins over the environment."""
    hcl = environments.backend_file(env)
    if hcl.exists():
        return hcl
    source = os.environ if environ is None else environ
    bucket = source.get(STATE_BUCKET_ENV)
    if not bucket:
        raise DeployError(
            f"no state backend for {env}: create {hcl.relative_to(paths.ROOT)} "
            f'(bucket = "...", key = "{STATE_KEY_TEMPLATE.format(env=env)}", region = "...") '
            f"or set {STATE_BUCKET_ENV} and {STATE_REGION_ENV}"
        )
    return {
        "bucket": bucket,
        "key": STATE_KEY_TEMPLATE.format(env=env),
        "region": source.get(STATE_REGION_ENV) or source.get("AWS_REGION") or "us-east-1",
    }


def runner_for(env: str) -> tuple[terraform.Terraform, dict[str, Any]]:
    """An initialised runner for the env root and the variables every command must pass."""
    root = environments.terraform_root(env)
    if env == environments.LOCAL:
        runner = terraform.Terraform(root, data_dir=LOCAL_DATA_DIR, state_path=LOCAL_STATE_FILE)
        runner.init()
        return runner, _local_variables()
    runner = remote_runner(env)
    config = backend_config(env)
    if isinstance(config, Path):
        runner.init(backend_config_file=config)
        variables: dict[str, Any] = {}
    else:
        runner.init(backend_config=config)
        # The deploy role is scoped to exactly this state object.
        variables = {"state_bucket": config["bucket"], "state_key": config["key"]}
    return runner, {**variables, **site_variables(paths.PELICAN_PUBLISH_SETTINGS)}


def site_variables(settings_file: Path) -> dict[str, Any]:
    """What the AWS root takes from the published site's settings: the policy CloudFront sends
    (a setting may admit an origin) and whether the demo API verifies Turnstile tokens."""
    site = site_settings.read(settings_file)
    return {
        "content_security_policy": security_headers(site.csp_sources)[CSP],
        "demo_enable_turnstile": site.demo_turnstile,
    }


def remote_runner(env: str) -> terraform.Terraform:
    """The shared AWS root with this environment's data directory and variables files."""
    return terraform.Terraform(
        environments.terraform_root(env),
        data_dir=environments.remote_data_dir(env),
        var_files=environments.var_files(env),
    )


def package() -> list[Any]:
    from cloudfolio import packaging  # imported lazily: it pulls in uv and the build tooling

    return packaging.build_all()


def deploy(
    env: str,
    *,
    plan_only: bool = False,
    skip_package: bool = False,
    say: Callable[[str], None] = print,
) -> DeployResult:
    """Package, init, plan (with a summary), and apply unless plan_only."""
    environments.check(env)
    if not skip_package:
        artifacts = package()
        say(f"packaged {len(artifacts)} function(s): {', '.join(a.function for a in artifacts)}")
    runner, variables = runner_for(env)
    plan_file = runner.effective_data_dir / f"{env}.tfplan"
    summary = runner.plan(variables, out=plan_file)
    say(describe_plan(summary))
    if plan_only or summary.empty:
        plan_file.unlink(missing_ok=True)
        return DeployResult(env, summary, applied=False)
    try:
        runner.apply(plan_file=plan_file)
    finally:
        plan_file.unlink(missing_ok=True)
    outputs = runner.output()
    say(f"{env}: applied")
    return DeployResult(env, summary, applied=True, outputs=outputs)


def describe_plan(summary: terraform.PlanSummary) -> str:
    if summary.empty:
        return "No changes: the infrastructure matches the code."
    symbols = {"create": "+", "update": "~", "delete": "-", "replace": "-/+"}
    lines = [f"  {symbols[action]:>3} {address}" for address, action in summary.resources]
    return "\n".join([str(summary), *lines])


def destroy(env: str, *, say: Callable[[str], None] = print) -> None:
    """Tear down the local env. Remote envs are never destroyed from here."""
    if environments.check(env) != environments.LOCAL:
        raise DeployError(
            f"refusing to destroy {env} from the task runner; run terraform destroy in "
            f"infra/envs/aws with -var-file={env}.tfvars deliberately if you really mean it"
        )
    runner, variables = runner_for(env)
    if not LOCAL_STATE_FILE.exists():
        say("local: nothing to destroy (no state)")
        return
    runner.destroy(variables)
    LOCAL_STATE_FILE.unlink(missing_ok=True)
    say("local: destroyed")
