"""The demo functions' settings: environment variable names and defaults, declared once.

Terraform sets these on the demo functions (infra/modules/demo outputs them) and the local gateway
copies them. The provider's own settings (DEMO_PROVIDER and the names of the secrets holding its
tokens) are declared in common/settings.py and read by demo.providers.factory.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from common.settings import DEMO_PROVIDER as PROVIDER

from demo.providers.factory import DEFAULT_PROVIDER

ENVIRONMENT_URL = "DEMO_ENVIRONMENT_URL"
MAX_DURATION_S = "DEMO_MAX_DURATION_S"
DEPLOY_TIMEOUT_S = "DEMO_DEPLOY_TIMEOUT_S"
VISITOR_DAILY_QUOTA = "DEMO_VISITOR_DAILY_QUOTA"
DAILY_CAP = "DEMO_DAILY_CAP"
HISTORY_DAYS = "DEMO_HISTORY_DAYS"
SCHEDULE_GROUP = "DEMO_SCHEDULE_GROUP"
SCHEDULE_ROLE_ARN = "DEMO_SCHEDULE_ROLE_ARN"
CLEANUP_FUNCTION_ARN = "DEMO_CLEANUP_FUNCTION_ARN"
DLQ_URL = "DEMO_DLQ_URL"
DLQ_ARN = "DEMO_DLQ_ARN"

ENV_VARS: tuple[str, ...] = (
    ENVIRONMENT_URL,
    MAX_DURATION_S,
    DEPLOY_TIMEOUT_S,
    VISITOR_DAILY_QUOTA,
    DAILY_CAP,
    HISTORY_DAYS,
    SCHEDULE_GROUP,
    SCHEDULE_ROLE_ARN,
    CLEANUP_FUNCTION_ARN,
    DLQ_URL,
    DLQ_ARN,
)

DEFAULTS: dict[str, str] = {
    PROVIDER: DEFAULT_PROVIDER,
    MAX_DURATION_S: str(2 * 3600),
    DEPLOY_TIMEOUT_S: str(45 * 60),
    VISITOR_DAILY_QUOTA: "3",
    DAILY_CAP: "20",
    HISTORY_DAYS: "30",
}


@dataclass(frozen=True)
class DemoSettings:
    provider: str
    environment_url: str  # "{deployment_id}" is replaced; empty: the provider says, or none
    max_duration_s: int
    deploy_timeout_s: int
    visitor_daily_quota: int
    daily_cap: int
    history_days: int
    schedule_group: str  # empty: no one-time schedule (the sweep still expires deployments)
    schedule_role_arn: str
    cleanup_function_arn: str
    dlq_url: str  # empty: cleanup failures are only raised and logged
    dlq_arn: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> DemoSettings:
        env = {**DEFAULTS, **{k: v for k, v in (environ or os.environ).items() if v}}

        def number(name: str) -> int:
            try:
                value = int(env[name])
            except ValueError as error:
                raise ValueError(f"{name} must be a whole number, not {env[name]!r}") from error
            if value < 0:
                raise ValueError(f"{name} must not be negative")
            return value

        return cls(
            provider=env[PROVIDER].strip().lower(),
            environment_url=env.get(ENVIRONMENT_URL, ""),
            max_duration_s=number(MAX_DURATION_S),
            deploy_timeout_s=number(DEPLOY_TIMEOUT_S),
            visitor_daily_quota=number(VISITOR_DAILY_QUOTA),
            daily_cap=number(DAILY_CAP),
            history_days=number(HISTORY_DAYS),
            schedule_group=env.get(SCHEDULE_GROUP, ""),
            schedule_role_arn=env.get(SCHEDULE_ROLE_ARN, ""),
            cleanup_function_arn=env.get(CLEANUP_FUNCTION_ARN, ""),
            dlq_url=env.get(DLQ_URL, ""),
            dlq_arn=env.get(DLQ_ARN, ""),
        )
