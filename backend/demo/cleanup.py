"""The scheduled cleanup: expire one deployment, the hourly sweep, the nightly forced cleanup.

Events: {"action": "expire", "deployment_id": ...} from the one-time schedule,
{"action": "sweep"} hourly, {"action": "force"} nightly. `invoke demo-cleanup` calls the same
handler on the author's machine.
"""

from __future__ import annotations

import os
from typing import Any

from aws_lambda_powertools import Logger

from demo.runtime import DemoRuntime

ACTIONS = ("expire", "sweep", "force")

logger = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME") or "demo_cleanup")
runtime = DemoRuntime()


@logger.inject_lambda_context(log_event=False)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    action = event.get("action", "sweep")
    if action not in ACTIONS:
        raise ValueError(f"unknown cleanup action {action!r}; expected one of {ACTIONS}")
    # A failure is reported to the dead-letter queue and raised, so the invocation counts as failed.
    result = runtime.service.cleanup(action, event.get("deployment_id"))
    logger.info("cleanup done", extra=result)
    return result
