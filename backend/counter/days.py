"""Counting days: UTC calendar days (their data's lifetime is in common.ephemeral)."""

from __future__ import annotations

from datetime import UTC, datetime

# The lifetime of a day's data is declared with the ephemeral table; re-exported for the
# functions that use the counter's visitor rules as a library.
from common.ephemeral import expires_at as expires_at


def utc_now() -> datetime:
    return datetime.now(UTC)


def day_key(moment: datetime) -> str:
    return moment.astimezone(UTC).date().isoformat()
