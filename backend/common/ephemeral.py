"""What the ephemeral table holds and for how long: daily salts and visitor markers.

That table has no point-in-time recovery, so nothing in it outlives its deletion. The counter
writes these items; the salt purge job deletes salts once their 48 h are over, without waiting
for DynamoDB's TTL (which can run a day or two late).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from common.schema import PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE

# A day's salt and visitor markers outlive the day itself by one day, so a visit just before
# midnight still finds its day's salt; after that nobody can link a visitor id to anything.
RETENTION = timedelta(hours=48)
SALT_PREFIX = "SALT#"
SALT_SORT_KEY = "SALT"


def day_start(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), tzinfo=UTC)


def expires_at(day: str) -> int:
    """Epoch seconds at which data of `day` is to be deleted."""
    return int((day_start(day) + RETENTION).timestamp())


def salt_key(day: str) -> dict[str, Any]:
    return {PARTITION_KEY: {"S": f"{SALT_PREFIX}{day}"}, SORT_KEY: {"S": SALT_SORT_KEY}}


def is_expired(item: dict[str, Any], now: datetime) -> bool:
    """TTL deletes lazily, so an item past its expiry may still be returned: it counts as gone."""
    expiry = item.get(TTL_ATTRIBUTE)
    return expiry is not None and int(expiry["N"]) <= now.timestamp()
