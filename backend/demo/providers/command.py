"""A provider that runs configured shell commands on this machine as a one-job pipeline.

For anything the other providers do not cover (a Makefile, a script that calls another CI). The
command sees the action and the deployment in DEMO_ACTION and DEMO_DEPLOYMENT_ID, never spliced
into the command line.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from demo.providers.base import Action, ProviderError
from demo.providers.process import JobSpec, ProcessPipelines, ProcessProvider

ACTION_ENV = "DEMO_ACTION"
DEPLOYMENT_ENV = "DEMO_DEPLOYMENT_ID"


class CommandProvider(ProcessProvider):
    name = "command"

    def __init__(
        self,
        state_dir: Path | str,
        commands: Mapping[str, str],
        *,
        cwd: str | None = None,
        environment_url: str | None = None,
    ) -> None:
        """commands: a shell command for "deploy" and one for "destroy".

        environment_url: where a successful deploy answers; `{deployment_id}` is filled in.
        """
        missing = [action for action in ("deploy", "destroy") if not commands.get(action)]
        if missing:
            raise ProviderError(
                "misconfigured", f"The command provider has no command for {', '.join(missing)}."
            )
        self.commands = dict(commands)
        self.cwd = cwd
        self.environment_url = environment_url
        self.pipelines = ProcessPipelines(state_dir)

    def trigger(self, action: Action, deployment_id: str) -> str:
        job = JobSpec(
            name=action,
            stage=action,
            argv=["/bin/sh", "-c", self.commands[action]],
            cwd=self.cwd,
            env={ACTION_ENV: action, DEPLOYMENT_ENV: deployment_id},
        )
        url = (
            self.environment_url.format(deployment_id=deployment_id)
            if self.environment_url
            else None
        )
        return self.pipelines.start(action, deployment_id, [job], environment_url=url)
