"""A small wrapper around the terraform CLI: offline init, validate, plan, apply, outputs, destroy.

The machine that runs the suite has no access to the Terraform registry, only a filesystem mirror
of the providers. Every command runs non-interactively, with a CLI configuration the wrapper
controls, so a stray `TF_CLI_CONFIG_FILE` or `~/.terraformrc` cannot change what gets installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cloudfolio.errors import CloudfolioError

ROOT = Path(__file__).resolve().parent.parent
INFRA = ROOT / "infra"
PLUGIN_DIR_ENV = "CLOUDFOLIO_TF_PLUGIN_DIR"
# Where Debian packages, admins and `terraform providers mirror` usually leave a mirror.
PLUGIN_DIR_CANDIDATES = (
    Path("/opt/tf-plugins"),
    Path.home() / ".terraform.d" / "plugins",
    Path("/usr/share/terraform/plugins"),
    Path("/usr/local/share/terraform/plugins"),
)
MIRROR_HOST = "registry.terraform.io"
STDERR_TAIL_LINES = 25


class TerraformError(CloudfolioError):
    """terraform is missing, or one of its commands failed."""


def terraform_binary() -> str:
    found = shutil.which("terraform")
    if not found:
        raise TerraformError(
            "terraform is not on PATH; install Terraform >= 1.6 (https://developer.hashicorp.com/terraform/install)"
        )
    return found


def find_plugin_dir(environ: Mapping[str, str] | None = None) -> Path | None:
    """The offline provider mirror, or None when providers should come from the registry."""
    env = os.environ if environ is None else environ
    configured = env.get(PLUGIN_DIR_ENV)
    if configured:
        path = Path(configured).expanduser()
        if not (path / MIRROR_HOST).is_dir():
            raise TerraformError(f"{PLUGIN_DIR_ENV}={configured} has no {MIRROR_HOST}/ directory")
        return path
    for candidate in PLUGIN_DIR_CANDIDATES:
        if (candidate / MIRROR_HOST).is_dir():
            return candidate
    return None


# The one output of infra/envs/*: the stack module whole.
STACK_OUTPUT = "stack"


def output(root: Path, *, state_path: Path | None = None) -> dict[str, Any]:
    """Outputs of an already initialised root (e.g. staging after `invoke deploy`)."""
    return Terraform(root, state_path=state_path).output()


def error_line(text: str) -> str:
    """Terraform's first `Error: ...` line (its diagnostics are boxed in │ when coloured)."""
    for line in text.splitlines():
        stripped = line.strip().lstrip("│╷╵ ").strip()
        if stripped.startswith("Error:"):
            return stripped.removeprefix("Error:").strip()
    return next((line.strip() for line in text.splitlines() if line.strip()), "no output")


def _tail(text: str, lines: int = STDERR_TAIL_LINES) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _describe(diagnostic: Mapping[str, Any]) -> str:
    text = f"{diagnostic.get('severity')}: {diagnostic.get('summary')}"
    if diagnostic.get("detail"):
        text += f": {diagnostic['detail']}"
    where = diagnostic.get("range")
    if where:
        text += f" ({where['filename']}:{where['start']['line']})"
    return text


def _var_args(variables: Mapping[str, Any] | None) -> list[str]:
    args = []
    for name, value in (variables or {}).items():
        # Terraform parses -var values of complex types as HCL; JSON is valid HCL for lists/maps.
        rendered = value if isinstance(value, str) else json.dumps(value)
        args.append(f"-var={name}={rendered}")
    return args


@dataclass
class PlanSummary:
    add: int
    change: int
    destroy: int
    replace: int
    resources: list[tuple[str, str]] = field(default_factory=list)  # (address, action)

    @property
    def empty(self) -> bool:
        return not (self.add or self.change or self.destroy)

    def __str__(self) -> str:
        return f"Plan: {self.add} to add, {self.change} to change, {self.destroy} to destroy" + (
            f" ({self.replace} replaced)" if self.replace else ""
        )


def summarize_plan(plan: Mapping[str, Any]) -> PlanSummary:
    """Counts like Terraform's own "Plan:" line, from `terraform show -json` of a saved plan."""
    add = change = destroy = replace = 0
    resources = []
    for resource in plan.get("resource_changes", []):
        actions = resource.get("change", {}).get("actions", [])
        if actions in (["no-op"], ["read"]):
            continue
        if "create" in actions and "delete" in actions:
            replace += 1
            add += 1
            destroy += 1
            action = "replace"
        elif actions == ["create"]:
            add += 1
            action = "create"
        elif actions == ["delete"]:
            destroy += 1
            action = "delete"
        elif actions == ["update"]:
            change += 1
            action = "update"
        else:
            continue
        resources.append((resource["address"], action))
    return PlanSummary(add, change, destroy, replace, resources)


@dataclass
class Terraform:
    """One root module, run with its own data dir and (optionally) its own state file.

    data_dir: TF_DATA_DIR, so parallel runs of the same root do not share `.terraform/`.
    state_path: a local state file outside the root; the local stack applies to a fresh emulator
    on every start, so its state is throwaway and must not live next to the code.
    var_files: passed to every command that takes variables, before the explicit variables.
    """

    root: Path
    data_dir: Path | None = None
    state_path: Path | None = None
    plugin_dir: Path | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    var_files: tuple[Path, ...] = ()
    timeout: float = 900

    def __post_init__(self) -> None:
        self.root = Path(self.root).resolve()
        if not self.root.is_dir():
            raise TerraformError(f"no Terraform root at {self.root}")
        if self.plugin_dir is None:
            self.plugin_dir = find_plugin_dir()

    @property
    def effective_data_dir(self) -> Path:
        return Path(self.data_dir) if self.data_dir else self.root / ".terraform"

    def _cli_config(self) -> Path:
        """A CLI config the wrapper owns: a missing or foreign one must not steer installs."""
        data_dir = self.effective_data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        config = data_dir / "cloudfolio.tfrc"
        text = "disable_checkpoint = true\n"
        if not config.exists() or config.read_text() != text:
            config.write_text(text)
        return config

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            TF_CLI_CONFIG_FILE=str(self._cli_config()),
            TF_IN_AUTOMATION="1",
            TF_INPUT="0",
            CHECKPOINT_DISABLE="1",
        )
        env.pop("TF_CLI_ARGS", None)
        if self.data_dir:
            env["TF_DATA_DIR"] = str(Path(self.data_dir).resolve())
        else:
            env.pop("TF_DATA_DIR", None)
        env.update(self.extra_env)
        return env

    def run(
        self, *args: str, capture: bool = True, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        command = [terraform_binary(), *args]
        try:
            completed = subprocess.run(
                command,
                cwd=self.root,
                env=self._env(),
                capture_output=capture,
                text=True,
                timeout=self.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise TerraformError(
                f"terraform {args[0]} timed out after {self.timeout:.0f}s"
            ) from exc
        if check and completed.returncode != 0:
            detail = _tail(completed.stderr or "") or _tail(completed.stdout or "")
            where = f"{self.root.relative_to(ROOT) if ROOT in self.root.parents else self.root}"
            # The error line first: it is all a user sees unless they ask for --verbose.
            raise TerraformError(
                f"terraform {args[0]} failed in {where}: {error_line(detail)}\n{detail}"
            )
        return completed

    def variable_args(self, variables: Mapping[str, Any] | None) -> list[str]:
        files = [f"-var-file={Path(path).resolve()}" for path in self.var_files]
        return [*files, *_var_args(variables)]

    def state_args(self) -> list[str]:
        return [f"-state={Path(self.state_path).resolve()}"] if self.state_path else []

    def init(
        self,
        *,
        backend: bool = True,
        backend_config: Mapping[str, str] | None = None,
        backend_config_file: Path | None = None,
        upgrade: bool = False,
    ) -> None:
        args = ["init", "-input=false", "-no-color"]
        if self.plugin_dir:
            args.append(f"-plugin-dir={self.plugin_dir}")
        if not backend:
            args.append("-backend=false")
        if backend_config_file is not None:
            args.append(f"-backend-config={Path(backend_config_file).resolve()}")
        args += [f"-backend-config={k}={v}" for k, v in (backend_config or {}).items()]
        if upgrade:
            args.append("-upgrade")
        self.run(*args)

    def validate(self) -> dict[str, Any]:
        completed = self.run("validate", "-json", "-no-color", check=False)
        try:
            result = json.loads(completed.stdout)
        except json.JSONDecodeError:
            result = None
        if completed.returncode != 0 or not result or not result.get("valid"):
            problems = [_describe(d) for d in (result or {}).get("diagnostics", [])]
            detail = "\n".join(problems) or _tail(completed.stderr or completed.stdout or "")
            raise TerraformError(f"terraform validate failed in {self.root}:\n{detail}")
        return result

    def plan(
        self, variables: Mapping[str, Any] | None = None, *, out: Path, destroy: bool = False
    ) -> PlanSummary:
        args = ["plan", "-input=false", "-no-color", f"-out={Path(out).resolve()}"]
        if destroy:
            args.append("-destroy")
        self.run(*args, *self.state_args(), *self.variable_args(variables))
        return summarize_plan(self.show_plan(out))

    def show_plan(self, plan_file: Path) -> dict[str, Any]:
        completed = self.run("show", "-json", "-no-color", str(Path(plan_file).resolve()))
        return json.loads(completed.stdout)

    def apply(
        self, variables: Mapping[str, Any] | None = None, *, plan_file: Path | None = None
    ) -> None:
        args = ["apply", "-input=false", "-no-color", "-auto-approve", *self.state_args()]
        if plan_file is not None:
            # A saved plan already carries its variables.
            args.append(str(Path(plan_file).resolve()))
        else:
            args += self.variable_args(variables)
        self.run(*args)

    def output(self) -> dict[str, Any]:
        """The root's outputs by name; an environment root's `stack` output (its stack module,
        whole) is read as the module's own outputs."""
        completed = self.run("output", "-json", "-no-color", *self.state_args())
        values = {name: entry["value"] for name, entry in json.loads(completed.stdout).items()}
        return {**(values.pop(STACK_OUTPUT, None) or {}), **values}

    def destroy(self, variables: Mapping[str, Any] | None = None) -> None:
        self.run(
            "destroy",
            "-input=false",
            "-no-color",
            "-auto-approve",
            *self.state_args(),
            *self.variable_args(variables),
        )
