"""The local provider: a real Terraform pipeline on this machine against the AWS emulator.

Deploy runs `terraform init` and `terraform apply` of infra/demo (a website bucket whose page names
the deployment, and a table), then checks that the page answers; destroy runs `terraform destroy`.
Terraform's own output is each job's log. Every deployment keeps its state file under the state
directory, so a destroy finds what its deploy created. The environment URL is the page served by
the emulator itself.
"""

from __future__ import annotations

import re
import sys
import urllib.request
from pathlib import Path

from demo.providers.base import Action, ProviderError
from demo.providers.process import BACKEND_DIR, JobSpec, ProcessPipelines, ProcessProvider

REPO = BACKEND_DIR.parent
DEMO_STACK = REPO / "infra" / "demo"
# Beside the local stack's other throwaway state, one per checkout.
LOCAL_STATE_DIR = REPO / "build" / "local" / "demo"
NAME_PREFIX = "cloudfolio-demo-"
PAGE = "index.html"
VERIFY_TIMEOUT_S = 10


def resource_name(deployment_id: str) -> str:
    """Bucket and table name of a deployment (S3 rules: lower case, digits, dashes, <= 63)."""
    slug = re.sub(r"[^a-z0-9-]+", "-", deployment_id.lower()).strip("-")
    if not 3 <= len(slug) <= 41:
        raise ProviderError("bad_deployment_id", f"{deployment_id!r} cannot name a demo stack.")
    return NAME_PREFIX + slug


class LocalProvider(ProcessProvider):
    name = "local"

    def __init__(
        self, state_dir: Path | str, aws_endpoint: str, *, stack: Path = DEMO_STACK
    ) -> None:
        if not aws_endpoint:
            raise ProviderError(
                "misconfigured", "The local provider needs the emulator's URL (AWS_ENDPOINT_URL)."
            )
        self.state_dir = Path(state_dir)
        self.aws_endpoint = aws_endpoint.rstrip("/")
        self.stack = Path(stack)
        self.pipelines = ProcessPipelines(self.state_dir / "pipelines")

    def environment_url(self, deployment_id: str) -> str:
        return f"{self.aws_endpoint}/{resource_name(deployment_id)}/{PAGE}"

    def _terraform(self) -> tuple[str, Path | None]:
        try:
            from cloudfolio import terraform  # the author's tooling: present wherever this runs
        except ImportError as error:
            raise ProviderError(
                "misconfigured", "The local provider runs only from a cloudfolio checkout."
            ) from error
        try:
            return terraform.terraform_binary(), terraform.find_plugin_dir()
        except terraform.TerraformError as error:
            raise ProviderError("misconfigured", str(error)) from error

    def _jobs(self, action: Action, deployment_id: str) -> list[JobSpec]:
        binary, plugin_dir = self._terraform()
        name = resource_name(deployment_id)
        work = self.state_dir / "terraform"
        work.mkdir(parents=True, exist_ok=True)
        cli_config = work / "cli.tfrc"
        cli_config.write_text("disable_checkpoint = true\n")
        env = {
            "TF_DATA_DIR": str(work / "data"),
            "TF_CLI_CONFIG_FILE": str(cli_config),
            "TF_IN_AUTOMATION": "1",
            "TF_INPUT": "0",
            "CHECKPOINT_DISABLE": "1",
        }
        state = self.state_dir / "deployments" / name / "terraform.tfstate"
        state.parent.mkdir(parents=True, exist_ok=True)
        variables = [
            f"-var=deployment_id={name.removeprefix(NAME_PREFIX)}",
            f"-var=bucket_name={name}",
            f"-var=table_name={name}",
            f"-var=aws_endpoint={self.aws_endpoint}",
        ]
        init = [binary, "init", "-input=false", "-no-color"]
        if plugin_dir:
            init.append(f"-plugin-dir={plugin_dir}")
        common = ["-input=false", "-no-color", "-auto-approve", f"-state={state}", *variables]
        cwd = str(self.stack)
        jobs = [JobSpec("terraform-init", "prepare", init, cwd, env)]
        if action == "deploy":
            jobs.append(JobSpec("terraform-apply", "deploy", [binary, "apply", *common], cwd, env))
            verify = [
                sys.executable,
                "-m",
                "demo.providers.local",
                self.environment_url(deployment_id),
                name.removeprefix(NAME_PREFIX),
            ]
            jobs.append(JobSpec("check-page", "verify", verify, cwd))
        else:
            jobs.append(
                JobSpec("terraform-destroy", "destroy", [binary, "destroy", *common], cwd, env)
            )
        return jobs

    def trigger(self, action: Action, deployment_id: str) -> str:
        jobs = self._jobs(action, deployment_id)
        return self.pipelines.start(
            action, deployment_id, jobs, environment_url=self.environment_url(deployment_id)
        )


def check_page(url: str, deployment_id: str) -> int:
    """The verify job: the page answers and names the deployment."""
    try:
        with urllib.request.urlopen(url, timeout=VERIFY_TIMEOUT_S) as response:
            body = response.read().decode("utf-8", "replace")
            content_type = response.headers.get("Content-Type", "")
    except OSError as error:
        print(f"{url} did not answer: {error}")
        return 1
    if deployment_id not in body or not content_type.startswith("text/html"):
        print(f"{url} answered, but not with the page of deployment {deployment_id}")
        return 1
    print(f"{url} serves the page of deployment {deployment_id} ({content_type})")
    return 0


if __name__ == "__main__":
    sys.exit(check_page(sys.argv[1], sys.argv[2]))
