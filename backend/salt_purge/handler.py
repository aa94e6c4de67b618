"""Delete every daily salt whose 48 h are over, without waiting for DynamoDB's TTL.

An EventBridge schedule runs it hourly (infra/modules/data). TTL deletion is lazy (often a day or
two late), and until a salt is gone the day's visitor ids can be recomputed from an IP and a
User-Agent. Salts are keyed by day, so the job deletes known keys: no scan of the table.

Run it by hand (locally, against the emulator, AWS_ENDPOINT_URL set) with
`python -m salt_purge.handler`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from aws_lambda_powertools import Logger
from common.aws import dynamodb_client
from common.ephemeral import RETENTION, salt_key
from common.settings import EPHEMERAL_TABLE_NAME

# Days before the newest expired one that are deleted again, in case runs were missed.
LOOKBACK_DAYS = 30

logger = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME") or "salt-purge")


def expired_days(now: datetime, lookback: int = LOOKBACK_DAYS) -> list[str]:
    """The days whose salts must be gone at `now`, newest first."""
    # Day D's salt expires at D 00:00 + 48 h, so every day up to the date of (now - 48 h) is due.
    newest = (now.astimezone(UTC) - RETENTION).date()
    return [(newest - timedelta(days=back)).isoformat() for back in range(lookback)]


def purge(client: Any, table_name: str, now: datetime, lookback: int = LOOKBACK_DAYS) -> list[str]:
    """Delete the expired salts; returns the days whose salt was still there."""
    deleted = []
    for day in expired_days(now, lookback):
        old = client.delete_item(TableName=table_name, Key=salt_key(day), ReturnValues="ALL_OLD")
        if old.get("Attributes"):
            deleted.append(day)
    return deleted


def run(
    environ: dict[str, str] | os._Environ[str] = os.environ,
    client_factory: Callable[[], Any] = dynamodb_client,
    now: datetime | None = None,
) -> dict[str, Any]:
    table_name = environ.get(EPHEMERAL_TABLE_NAME)
    if not table_name:
        raise RuntimeError(f"missing environment variable: {EPHEMERAL_TABLE_NAME}")
    deleted = purge(client_factory(), table_name, now or datetime.now(UTC))
    logger.info("expired salts deleted", extra={"days": deleted})
    return {"deleted": deleted}


@logger.inject_lambda_context(log_event=False)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return run()


if __name__ == "__main__":
    print(json.dumps(run()))
