"""`invoke demo-cleanup`: the demo's scheduled cleanup, run on this machine.

The emulator stores schedules but never runs them, so locally the author (or a test) runs the
same handler the schedules invoke in AWS, with the variables Terraform set on the demo functions
of the running local stack.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import Any

from cloudfolio import api_description, paths
from cloudfolio.errors import CloudfolioError
from cloudfolio.local.contract import EMULATOR_ENV, StackInfo

FUNCTION = "demo_cleanup"
# The cleanup reads the settings every demo function gets; the trigger always has them.
SETTINGS_OF = "demo_trigger"
ACTIONS = ("sweep", "expire", "force")


class DemoCleanupError(CloudfolioError):
    """The cleanup could not run or could not destroy the demo."""


def run(
    action: str = "sweep",
    deployment_id: str | None = None,
    state_dir: Path = paths.LOCAL_STATE,
) -> dict[str, Any]:
    if action not in ACTIONS:
        raise DemoCleanupError(f"unknown action {action!r}: use one of {', '.join(ACTIONS)}")
    if action == "expire" and not deployment_id:
        raise DemoCleanupError("expire needs --deployment-id")
    info = StackInfo.read(state_dir)
    environment = info.function_environments.get(SETTINGS_OF)
    if not environment:
        raise DemoCleanupError("the running local stack has no demo API (restart invoke up)")
    os.environ.update(
        {
            **EMULATOR_ENV,
            "AWS_ENDPOINT_URL": info.aws_endpoint,
            **environment,
            "POWERTOOLS_SERVICE_NAME": FUNCTION,
            "POWERTOOLS_TRACE_DISABLED": "true",
        }
    )
    if str(paths.BACKEND) not in sys.path:
        sys.path.insert(0, str(paths.BACKEND))
    from cloudfolio.local.gateway import LambdaContext

    handler = importlib.import_module(api_description.functions()[FUNCTION])
    from demo.service import CleanupFailed

    event: dict[str, Any] = {"action": action}
    if deployment_id:
        event["deployment_id"] = deployment_id
    try:
        return handler.lambda_handler(event, LambdaContext(FUNCTION))
    except CleanupFailed as failure:
        raise DemoCleanupError(
            f"the cleanup could not destroy the demo ({failure}); the failure was sent to the "
            "dead-letter queue"
        ) from failure
