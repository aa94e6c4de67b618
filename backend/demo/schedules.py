"""The one-time EventBridge Scheduler schedule that destroys a deployment when it expires."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from demo.config import DemoSettings


def schedule_name(deployment_id: str) -> str:
    return f"demo-expire-{deployment_id}"


def expiry_expression(deadline: int) -> str:
    moment = datetime.fromtimestamp(deadline, UTC).replace(tzinfo=None)
    return f"at({moment.isoformat(timespec='seconds')})"


def schedule_expiry(client: Any, settings: DemoSettings, deployment_id: str, deadline: int) -> bool:
    """Create the schedule; False when no schedule group is configured (the hourly sweep then
    expires deployments alone)."""
    if not settings.schedule_group:
        return False
    target: dict[str, Any] = {
        "Arn": settings.cleanup_function_arn,
        "RoleArn": settings.schedule_role_arn,
        "Input": json.dumps({"action": "expire", "deployment_id": deployment_id}),
        "RetryPolicy": {"MaximumRetryAttempts": 3, "MaximumEventAgeInSeconds": 3600},
    }
    if settings.dlq_arn:
        target["DeadLetterConfig"] = {"Arn": settings.dlq_arn}
    client.create_schedule(
        Name=schedule_name(deployment_id),
        GroupName=settings.schedule_group,
        ScheduleExpression=expiry_expression(deadline),
        ScheduleExpressionTimezone="UTC",
        FlexibleTimeWindow={"Mode": "OFF"},
        ActionAfterCompletion="DELETE",
        Target=target,
    )
    return True
