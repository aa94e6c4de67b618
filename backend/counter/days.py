"""Counting days: UTC calendar days, and the ~48 h lifetime of anything keyed by one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

# A day's salt and visitor markers outlive the day itself by one day, then DynamoDB's TTL
# deletes them, so after 48 h nobody can link a visitor id to anything.
RETENTION = timedelta(hours=48)


def utc_now() -> datetime:
    return datetime.now(UTC)


def day_key(moment: datetime) -> str:
    return moment.astimezone(UTC).date().isoformat()


def expires_at(day: str) -> int:
    """Epoch seconds at which data of `day` is to be deleted."""
    start = datetime.combine(date.fromisoformat(day), datetime.min.time(), tzinfo=UTC)
    return int((start + RETENTION).timestamp())
